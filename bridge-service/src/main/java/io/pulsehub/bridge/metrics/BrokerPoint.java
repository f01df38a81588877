package io.pulsehub.bridge.metrics;

import io.pulsehub.contract.BrokerStats;
import org.influxdb.dto.Point;

import java.util.concurrent.TimeUnit;

/**
 * A broker node's sample as a point of {@code pulsehub_broker}, tag {@code broker}, timed at the sample: every bridge
 * that writes the same sample writes the same point, so several bridges, or one bridge reporting more often than the
 * broker samples, never double a number. Counters stay cumulative (Grafana takes their differences, which also lets
 * it drop the step back to 0 when a broker restarts); all fields are integers, forever.
 */
final class BrokerPoint {

    static final String MEASUREMENT = "pulsehub_broker";
    static final String BROKER_TAG = "broker";

    private BrokerPoint() {
    }

    static Point of(final BrokerStats stats) {
        final Point.Builder point = Point.measurement(MEASUREMENT)
                .time(stats.sampledAtMillis(), TimeUnit.MILLISECONDS)
                .tag(BROKER_TAG, stats.node());
        // The sample time is the point's time already; a field of its own would only repeat it.
        stats.values().forEach((field, value) -> {
            if (!BrokerStats.SAMPLED_AT_MS.equals(field)) {
                point.addField(field, value);
            }
        });
        return point.build();
    }
}
