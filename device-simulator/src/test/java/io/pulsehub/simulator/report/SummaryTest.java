package io.pulsehub.simulator.report;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.simulator.load.LoadSettings;
import io.pulsehub.simulator.load.MqttVersion;
import io.pulsehub.simulator.load.RunResult;
import io.pulsehub.simulator.profile.Profile;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCleanRunReadsAsCountsRateAndPercentiles() throws Exception {
        final Histogram latency = new Histogram(3);
        for (int micros = 10; micros <= 1_000; micros += 10) {
            latency.recordValue(micros); // 0.01 ms ... 1 ms, exact at 3 significant digits
        }
        final Summary summary = Summary.of(settings(1, 10), new RunResult(3, Duration.ofMillis(120), 100, 100, 0, 0,
                Duration.ofMillis(2_500), latency, Map.of(), 0, false));

        assertThat(summary.toText()).isEqualTo("""
                Summary: 3 thermostat devices, MQTT 5, QoS 1, 10 readings/s per device
                  sent                100
                  acked               100
                  failed              0
                  duration            2.500 s
                  acked rate          40.0 msg/s
                  connect time        0.120 s
                  PUBACK latency ms   p50 0.50  p90 0.90  p99 0.99  p99.9 1.00  max 1.00
                """);
        final JsonNode json = JSON.readTree(summary.toJson());
        assertThat(json.get("acked").asLong()).isEqualTo(100);
        assertThat(json.get("ackedPerSecond").asDouble()).isEqualTo(40.0);
        assertThat(json.get("durationSeconds").asDouble()).isEqualTo(2.5);
        assertThat(json.get("latencyMs").get("p50").asDouble()).isEqualTo(0.5);
        assertThat(json.get("latencyMs").get("p999").asDouble()).isEqualTo(1.0);
        assertThat(json.get("latencyMs").get("count").asLong()).isEqualTo(100);
        assertThat(json.get("mqttVersion").asText()).isEqualTo("5");
        assertThat(json.get("connectSeconds").asDouble()).isEqualTo(0.12);
    }

    @Test
    void failuresAreListedByReasonAndNothingAcknowledgedHasNoPercentiles() throws Exception {
        final Summary summary = Summary.of(settings(2, 0), new RunResult(1, Duration.ofMillis(5), 12, 0, 10, 2,
                Duration.ofMillis(40),
                new Histogram(3), Map.of("not authorized: nope", 7L, "connection lost before the acknowledgement", 3L),
                1, true));

        assertThat(summary.toText())
                .startsWith("Summary: 1 thermostat device, MQTT 5, QoS 2, unthrottled\n")
                .contains("  failed              10\n")
                .contains("  unacknowledged      2\n")
                .contains("  PUBCOMP latency ms  no acknowledgements\n")
                .contains("  connection losses   1\n")
                .contains("  failed 7 × not authorized: nope\n"
                        + "  failed 3 × connection lost before the acknowledgement\n")
                .endsWith("  stopped before the end\n");
        final JsonNode json = JSON.readTree(summary.toJson());
        assertThat(json.get("latencyMs").get("p50").isNull()).isTrue();
        assertThat(json.get("failureReasons").get("not authorized: nope").asLong()).isEqualTo(7);
        assertThat(json.get("stopped").asBoolean()).isTrue();
    }

    @Test
    void qosZeroMeasuresTheWrite() {
        final Summary summary = Summary.of(settings(0, 0.5), new RunResult(1, Duration.ofMillis(5), 1, 1, 0, 0,
                Duration.ofSeconds(1),
                new Histogram(3), Map.of(), 0, false));
        assertThat(summary.toText()).contains("QoS 0, 0.5 readings/s per device").contains("write latency ms");
    }

    private static LoadSettings settings(final int qos, final double rate) {
        return new LoadSettings(Profile.THERMOSTAT, rate, qos, MqttVersion.V5, "tcp://127.0.0.1:1883", 10, null, 0,
                Duration.ofSeconds(10), false, 1, Duration.ofSeconds(10));
    }
}
