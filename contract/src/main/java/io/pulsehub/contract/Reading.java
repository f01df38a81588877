package io.pulsehub.contract;

import java.util.Map;

/**
 * One reading of one device: its time and its numeric metrics.
 *
 * @param timeNanos epoch nanoseconds. A reading that carried {@code ts} has exactly {@code ts} milliseconds; a
 *                  reading timed by the broker has a sub-millisecond part that keeps it distinct from every other
 *                  reading of the device (see {@link BrokerClock}), so it becomes its own InfluxDB point.
 * @param metrics   metric name to value, never empty
 */
public record Reading(long timeNanos, Map<String, Double> metrics) {

    public long epochMillis() {
        return Math.floorDiv(timeNanos, 1_000_000L);
    }
}
