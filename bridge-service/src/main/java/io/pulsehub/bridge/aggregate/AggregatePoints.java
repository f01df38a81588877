package io.pulsehub.bridge.aggregate;

import io.pulsehub.bridge.influx.TelemetryPoints;
import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;
import org.influxdb.dto.Point;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An aggregate as a point of {@code aggregates_{window}} for Grafana: tag device, fields
 * {@code {metric}_{count|sum|min|max|mean|last}} and {@code revision}, time = window start. Writing a corrected
 * revision rewrites the same point.
 */
final class AggregatePoints {

    private AggregatePoints() {
    }

    static Point of(final Aggregate aggregate, final AggregateWindow window) {
        final Point.Builder point = Point.measurement(window.measurement())
                .time(aggregate.start(), TimeUnit.MILLISECONDS)
                .tag(TelemetryPoints.DEVICE_TAG, aggregate.device())
                .addField(AggregateRows.REVISION_FIELD, (long) aggregate.revision());
        for (final Map.Entry<String, MetricSummary> metric : aggregate.metrics().entrySet()) {
            final String name = metric.getKey();
            final MetricSummary summary = metric.getValue();
            point.addField(name + "_count", summary.count())
                    .addField(name + "_sum", summary.sum())
                    .addField(name + "_min", summary.min())
                    .addField(name + "_max", summary.max())
                    .addField(name + "_mean", summary.mean())
                    .addField(name + "_last", summary.last());
        }
        return point.build();
    }
}
