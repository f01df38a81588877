package io.pulsehub.bridge.influx;

import io.pulsehub.contract.Reading;
import org.influxdb.dto.Point;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The InfluxDB point of a reading. Its identity (measurement, device tag, time in ns) comes from the reading alone, so
 * writing a redelivered entry again rewrites the same points instead of adding new ones.
 */
public final class TelemetryPoints {

    public static final String MEASUREMENT = "telemetry";
    public static final String DEVICE_TAG = "device";

    private TelemetryPoints() {
    }

    public static Point of(final String deviceId, final Reading reading) {
        final Point.Builder point = Point.measurement(MEASUREMENT)
                .time(reading.timeNanos(), TimeUnit.NANOSECONDS)
                .tag(DEVICE_TAG, deviceId);
        for (final Map.Entry<String, Double> metric : reading.metrics().entrySet()) {
            point.addField(metric.getKey(), metric.getValue().doubleValue());
        }
        return point.build();
    }

    public static void addAll(final String deviceId, final List<Reading> readings, final List<Point> into) {
        for (final Reading reading : readings) {
            into.add(of(deviceId, reading));
        }
    }
}
