package io.pulsehub.simulator.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pulsehub.simulator.CannotStartException;
import io.pulsehub.simulator.load.LoadSettings;
import io.pulsehub.simulator.load.RunResult;
import org.HdrHistogram.Histogram;

/**
 * The final report of a run, as text for people and as JSON for benchmarks.
 *
 * @param ratePerDevice  readings per second per device; 0 = unthrottled
 * @param connectSeconds how long connecting every device took
 * @param failed         refused by the hub or ended in an error
 * @param unacknowledged still without an answer when the run gave up waiting
 * @param latencyMs      publish to acknowledgement (PUBACK for QoS 1, PUBCOMP for QoS 2, written for QoS 0)
 * @param latencyAfterSeconds latencies count only publishes sent this long after publishing started (--latency-after)
 */
@JsonPropertyOrder({"profile", "devices", "mqttVersion", "qos", "ratePerDevice", "connectSeconds", "sent", "acked",
        "failed", "unacknowledged", "durationSeconds", "ackedPerSecond", "latencyMs", "latencyAfterSeconds",
        "failureReasons", "connectionLosses", "stopped", "offline"})
public record Summary(String profile, int devices, String mqttVersion, int qos, double ratePerDevice,
                      double connectSeconds, long sent, long acked, long failed, long unacknowledged,
                      double durationSeconds, double ackedPerSecond, Latency latencyMs, double latencyAfterSeconds,
                      Map<String, Long> failureReasons, long connectionLosses, boolean stopped,
                      RunResult.OfflineCounts offline) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Percentiles in milliseconds; {@code null} when nothing was acknowledged. */
    @JsonPropertyOrder({"count", "p50", "p90", "p99", "p999", "max"})
    public record Latency(long count, Double p50, Double p90, Double p99, Double p999, Double max) {

        static Latency of(final Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, null, null, null, null, null);
            }
            return new Latency(micros.getTotalCount(), millis(micros.getValueAtPercentile(50)),
                    millis(micros.getValueAtPercentile(90)), millis(micros.getValueAtPercentile(99)),
                    millis(micros.getValueAtPercentile(99.9)), millis(micros.getMaxValue()));
        }

        private static double millis(final long micros) {
            return Math.round(micros / 10.0) / 100.0;
        }
    }

    public static Summary of(final LoadSettings settings, final RunResult result) {
        final double seconds = result.elapsed().toNanos() / 1e9;
        return new Summary(settings.profile().cliName(), result.devices(), settings.mqttVersion().label(),
                settings.qos(), settings.ratePerDevice(), round(result.connectTime().toNanos() / 1e9, 3), result.sent(),
                result.acked(), result.failed(), result.unacknowledged(), round(seconds, 3),
                seconds > 0 ? round(result.acked() / seconds, 1) : 0,
                Latency.of(result.latencyMicros()), settings.latencyAfter().toMillis() / 1000.0,
                Map.copyOf(result.failureReasons()), result.connectionLosses(),
                result.stopped(), result.offline());
    }

    private static double round(final double value, final int decimals) {
        final double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    public String toText() {
        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Summary: %d %s device%s, MQTT %s, QoS %d, %s%n", devices, profile,
                devices == 1 ? "" : "s", mqttVersion, qos, ratePerDevice == 0 ? "unthrottled"
                        : number(ratePerDevice) + " readings/s per device"));
        line(text, "sent", Long.toString(sent));
        line(text, "acked", Long.toString(acked));
        line(text, "failed", Long.toString(failed));
        if (unacknowledged > 0) {
            line(text, "unacknowledged", Long.toString(unacknowledged));
        }
        line(text, "duration", String.format(Locale.ROOT, "%.3f s", durationSeconds));
        line(text, "acked rate", String.format(Locale.ROOT, "%.1f msg/s", ackedPerSecond));
        line(text, "connect time", String.format(Locale.ROOT, "%.3f s", connectSeconds));
        line(text, latencyLabel(), latencyMs.count() == 0 ? "no acknowledgements"
                : String.format(Locale.ROOT, "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
                latencyMs.p50(), latencyMs.p90(), latencyMs.p99(), latencyMs.p999(), latencyMs.max()));
        if (connectionLosses > 0) {
            line(text, "connection losses", Long.toString(connectionLosses));
        }
        if (offline.buffered() > 0) {
            line(text, "offline", String.format(Locale.ROOT, "%d readings buffered, %d uploaded (acknowledged) in %d "
                    + "array publishes", offline.buffered(), offline.uploaded(), offline.uploadPublishes()));
        }
        failureReasons.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(reason -> text.append(String.format(Locale.ROOT, "  failed %d × %s%n", reason.getValue(),
                        reason.getKey())));
        if (stopped) {
            text.append(String.format("  stopped before the end%n"));
        }
        return text.toString();
    }

    private String latencyLabel() {
        final String label = switch (qos) {
            case 0 -> "write latency ms";
            case 2 -> "PUBCOMP latency ms";
            default -> "PUBACK latency ms";
        };
        return latencyAfterSeconds > 0
                ? label + String.format(Locale.ROOT, " (sent after %.1f s)", latencyAfterSeconds) : label;
    }

    private static void line(final StringBuilder text, final String label, final String value) {
        text.append(String.format(Locale.ROOT, "  %-19s %s%n", label, value));
    }

    private static String number(final double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (final IOException e) {
            throw new IllegalStateException("a summary always serializes", e);
        }
    }

    public void writeJson(final Path file) {
        try {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson() + System.lineSeparator());
        } catch (final IOException e) {
            throw new CannotStartException("cannot write the summary to " + file + ": " + e.getMessage(), e);
        }
    }
}
