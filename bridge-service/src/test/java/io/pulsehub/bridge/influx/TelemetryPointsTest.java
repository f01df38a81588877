package io.pulsehub.bridge.influx;

import io.pulsehub.contract.InvalidTelemetryException;
import io.pulsehub.contract.Reading;
import io.pulsehub.contract.TelemetryCodec;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetryPointsTest {

    private static final long TIME = 1_732_330_000_123_000_000L;

    private static String lines(final String deviceId, final List<Reading> readings) {
        final StringBuilder out = new StringBuilder();
        TelemetryPoints.appendLines(out, deviceId, readings);
        return out.toString();
    }

    private static Reading reading(final long timeNanos, final Object... metrics) {
        final Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < metrics.length; i += 2) {
            values.put((String) metrics[i], (Double) metrics[i + 1]);
        }
        return new Reading(timeNanos, values);
    }

    /** How influxdb-java's Point, which bridges before this one used, writes the same reading. */
    private static String pointForm(final String deviceId, final Reading reading) {
        final Point.Builder point = Point.measurement("telemetry").time(reading.timeNanos(), TimeUnit.NANOSECONDS)
                .tag("device", deviceId);
        reading.metrics().forEach(point::addField);
        return point.build().lineProtocol();
    }

    /** A line parsed back: measurement and tags, each field's value as the double InfluxDB parses, the time. */
    private record Parsed(String series, Map<String, Double> fields, long time) {

        static Parsed of(final String line) {
            final String[] parts = line.split(" ");
            assertThat(parts).as(line).hasSize(3);
            final Map<String, Double> fields = new TreeMap<>();
            for (final String field : parts[1].split(",")) {
                final int split = field.indexOf('=');
                fields.put(field.substring(0, split), Double.parseDouble(field.substring(split + 1)));
            }
            return new Parsed(parts[0], fields, Long.parseLong(parts[2]));
        }
    }

    @Test
    void oneFloatFieldPerMetricTaggedWithTheDeviceAtTheReadingTimeInNanoseconds() {
        assertThat(lines("d1", List.of(reading(TIME, "temperature", 21.5, "humidity", 40.0))))
                .isEqualTo("telemetry,device=d1 temperature=21.5,humidity=40.0 1732330000123000000\n");
    }

    @Test
    void brokerTimedReadingsKeepTheirSubMillisecondIdentity() throws InvalidTelemetryException {
        final long brokerTime = 1_732_330_000_123_001_000L;
        final List<Reading> readings = TelemetryCodec.decode(
                "[{\"t\":1},{\"t\":2}]".getBytes(StandardCharsets.UTF_8), brokerTime);

        assertThat(lines("d1", readings)).isEqualTo(
                "telemetry,device=d1 t=1.0 1732330000123001000\ntelemetry,device=d1 t=2.0 1732330000123001001\n");
    }

    @Test
    void theSamePointsAsInfluxdbJavaWroteSoThatARedeliveryRewritesThem() {
        final SplittableRandom random = new SplittableRandom(42);
        final List<Double> values = new ArrayList<>(List.of(1e-300, 1.7976931348623157E308, -0.0, 0.0,
                123456789.123456789, 3.0, Double.MIN_VALUE, Double.MIN_NORMAL, 0.1, -2.5e-7, 1e21, 1e22,
                9007199254740993.0, -42.0));
        for (int i = 0; i < 2_000; i++) {
            values.add(Double.longBitsToDouble(random.nextLong()));
            values.add(random.nextDouble() * 200 - 100);
        }
        values.removeIf(value -> !Double.isFinite(value));
        for (final double value : values) {
            final Reading reading = reading(TIME + 7, "v", value, "a_b", -value);

            final Parsed mine = Parsed.of(lines("dev-1.x_y", List.of(reading)).stripTrailing());
            final Parsed theirs = Parsed.of(pointForm("dev-1.x_y", reading));

            assertThat(mine.series()).isEqualTo(theirs.series()).isEqualTo("telemetry,device=dev-1.x_y");
            assertThat(mine.time()).isEqualTo(theirs.time()).isEqualTo(TIME + 7);
            assertThat(Double.doubleToRawLongBits(mine.fields().get("v"))).as("%s", value)
                    .isEqualTo(Double.doubleToRawLongBits(value));
            assertThat(Double.doubleToRawLongBits(mine.fields().get("a_b"))).as("%s", -value)
                    .isEqualTo(Double.doubleToRawLongBits(-value));
            assertThat(theirs.fields()).isEqualTo(mine.fields());
        }
    }

    @Test
    void escapesWhatLineProtocolEscapesAndRefusesWhatItCannotCarry() {
        assertThat(lines("a b,c=d", List.of(reading(TIME, "x y", 1.0))))
                .isEqualTo("telemetry,device=a\\ b\\,c\\=d x\\ y=1.0 1732330000123000000\n");
        assertThatThrownBy(() -> lines("a\nb", List.of(reading(TIME, "x", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a\\nb");
        assertThatThrownBy(() -> lines("a\\", List.of(reading(TIME, "x", 1.0))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lines("d1", List.of(reading(TIME, "x", Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
        assertThatThrownBy(() -> lines("d1", List.of(new Reading(TIME, Map.of()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyContentRefusalsAreNeverRetried() {
        assertThat(TelemetryStore.refusesThePoints(org.influxdb.InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"partial write: field type conflict: input field \\\"t\\\" is type integer\"}")))
                .isTrue();
        assertThat(TelemetryStore.refusesThePoints(org.influxdb.InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"partial write: points beyond retention policy dropped=1\"}"))).isTrue();
        assertThat(TelemetryStore.refusesThePoints(new org.influxdb.InfluxDBIOException(
                new java.io.IOException("connection refused")))).isFalse();
        assertThat(TelemetryStore.refusesThePoints(org.influxdb.InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"database not found: pulsehub\"}"))).isFalse();
        assertThat(TelemetryStore.refusesThePoints(org.influxdb.InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"authorization failed\"}"))).isFalse();
    }
}
