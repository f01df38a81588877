package io.pulsehub.bridge.influx;

import io.pulsehub.contract.Reading;

import java.util.List;
import java.util.Map;

/**
 * The InfluxDB points of readings, as line protocol: {@code telemetry,device=<id> <metric>=<float>,... <ns>}. Their
 * identity (measurement, device tag, time in ns) comes from the reading alone, so writing a redelivered entry again
 * rewrites the same points instead of adding new ones.
 *
 * <p>Written here rather than with influxdb-java's {@code Point}: the bridge writes every reading once, and
 * {@code Point} costs a builder, two sorted maps and a {@code DecimalFormat} run per float (its largest hot spot in
 * the profile). {@link StringBuilder#append(double)} writes the same digits as {@link Double#toString(double)}, which
 * parse back to exactly the same double (plain or {@code E} notation, both of which InfluxDB's parser takes), so the
 * stored value is the reading's value bit for bit, like the {@code Point} form that older bridges wrote.
 */
public final class TelemetryPoints {

    public static final String MEASUREMENT = "telemetry";
    public static final String DEVICE_TAG = "device";

    private static final String LINE_START = MEASUREMENT + "," + DEVICE_TAG + "=";

    private TelemetryPoints() {
    }

    /**
     * Appends one line per reading, each ending in a newline.
     *
     * @throws IllegalArgumentException when the device id or a metric name holds a character line protocol cannot
     *                                  carry unambiguously, or a value is not finite; the contract's identifiers and
     *                                  codec never let such a reading in
     */
    public static void appendLines(final StringBuilder out, final String deviceId, final List<Reading> readings) {
        for (final Reading reading : readings) {
            out.append(LINE_START);
            escape(out, deviceId);
            char separator = ' ';
            for (final Map.Entry<String, Double> metric : reading.metrics().entrySet()) {
                final double value = metric.getValue();
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException("metric '" + metric.getKey() + "' is not a finite number");
                }
                out.append(separator);
                escape(out, metric.getKey());
                out.append('=').append(value);
                separator = ',';
            }
            if (separator == ' ') {
                throw new IllegalArgumentException("a reading without metrics has no point");
            }
            out.append(' ').append(reading.timeNanos()).append('\n');
        }
    }

    /**
     * Tag values and field keys escape comma, equals sign and space with a backslash. InfluxDB 1.x has no escape for
     * a line break or for the backslash itself (a trailing one would escape the separator after it), so those are
     * refused instead of written ambiguously.
     */
    static void escape(final StringBuilder out, final String key) {
        for (int i = 0; i < key.length(); i++) {
            final char c = key.charAt(i);
            switch (c) {
                case ',', '=', ' ' -> out.append('\\').append(c);
                case '\\', '\n', '\r' -> throw new IllegalArgumentException(
                        "'" + key.replace("\n", "\\n").replace("\r", "\\r")
                                + "' holds a character line protocol cannot carry");
                default -> out.append(c);
            }
        }
    }
}
