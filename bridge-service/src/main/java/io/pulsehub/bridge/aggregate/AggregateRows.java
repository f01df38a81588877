package io.pulsehub.bridge.aggregate;

import io.pulsehub.bridge.influx.TelemetryPoints;
import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;
import org.influxdb.dto.QueryResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads aggregates out of InfluxDB answers. The window query ({@link #windowQuery}) asks InfluxDB itself for count,
 * sum, min, max, mean and last of every metric per device, so an aggregate equals what the raw points give by
 * construction; InfluxDB names those columns {@code count_temperature}, {@code sum_temperature}, …
 */
final class AggregateRows {

    static final String REVISION_FIELD = "revision";
    private static final List<String> STATISTICS = List.of("count", "sum", "min", "max", "mean", "last");

    private AggregateRows() {
    }

    /** Every device's statistics over the window. */
    static String windowQuery(final long start, final long end) {
        return windowQuery(start, end, List.of());
    }

    /**
     * @param deviceIds only these devices, or all when empty; device ids carry no quote (see the contract's
     *                  identifiers)
     */
    static String windowQuery(final long start, final long end, final Collection<String> deviceIds) {
        final StringBuilder query = new StringBuilder("SELECT count(*),sum(*),min(*),max(*),mean(*),last(*) FROM ")
                .append(TelemetryPoints.MEASUREMENT)
                .append(" WHERE time >= ").append(start).append("ms AND time < ").append(end).append("ms");
        String separator = " AND (";
        for (final String deviceId : deviceIds) {
            query.append(separator).append(TelemetryPoints.DEVICE_TAG).append(" = '").append(deviceId).append('\'');
            separator = " OR ";
        }
        if (!deviceIds.isEmpty()) {
            query.append(')');
        }
        return query.append(" GROUP BY ").append(TelemetryPoints.DEVICE_TAG).toString();
    }

    /** The stored aggregate of one device and window; device ids carry no quote (see the contract's identifiers). */
    static String storedQuery(final AggregateWindow window, final long start, final String deviceId) {
        return "SELECT * FROM " + window.measurement() + " WHERE " + TelemetryPoints.DEVICE_TAG + " = '" + deviceId
                + "' AND time = " + start + "ms";
    }

    /** One aggregate per device that has at least one reading in the window. */
    static List<Aggregate> fromWindowQuery(final QueryResult result, final AggregateWindow window, final long start,
                                           final int revision) {
        final List<Aggregate> aggregates = new ArrayList<>();
        for (final QueryResult.Series series : series(result)) {
            final String device = series.getTags() == null ? null : series.getTags().get(TelemetryPoints.DEVICE_TAG);
            if (device == null || series.getValues() == null) {
                continue;
            }
            for (final List<Object> row : series.getValues()) {
                final Map<String, Map<String, Number>> byMetric = new HashMap<>();
                for (int i = 0; i < series.getColumns().size(); i++) {
                    final String column = series.getColumns().get(i);
                    final int split = column.indexOf('_');
                    if (split <= 0 || !(row.get(i) instanceof Number value)) {
                        continue;
                    }
                    final String statistic = column.substring(0, split);
                    if (STATISTICS.contains(statistic)) {
                        byMetric.computeIfAbsent(column.substring(split + 1), k -> new HashMap<>())
                                .put(statistic, value);
                    }
                }
                final Map<String, MetricSummary> metrics = summaries(byMetric);
                if (!metrics.isEmpty()) {
                    aggregates.add(new Aggregate(device, window.name(), start, start + window.millis(), revision,
                            metrics));
                }
            }
        }
        return aggregates;
    }

    /** The aggregate as stored by {@link AggregatePoints}, if there is one. */
    static Optional<Aggregate> fromStoredPoint(final QueryResult result, final AggregateWindow window,
                                               final long start, final String deviceId) {
        for (final QueryResult.Series series : series(result)) {
            if (series.getValues() == null || series.getValues().isEmpty()) {
                continue;
            }
            final List<Object> row = series.getValues().get(0);
            final Map<String, Map<String, Number>> byMetric = new HashMap<>();
            int revision = 0;
            for (int i = 0; i < series.getColumns().size(); i++) {
                final String column = series.getColumns().get(i);
                if (!(row.get(i) instanceof Number value)) {
                    continue;
                }
                if (REVISION_FIELD.equals(column)) {
                    revision = value.intValue();
                    continue;
                }
                final int split = column.lastIndexOf('_');
                if (split > 0 && STATISTICS.contains(column.substring(split + 1))) {
                    byMetric.computeIfAbsent(column.substring(0, split), k -> new HashMap<>())
                            .put(column.substring(split + 1), value);
                }
            }
            final Map<String, MetricSummary> metrics = summaries(byMetric);
            if (!metrics.isEmpty()) {
                return Optional.of(new Aggregate(deviceId, window.name(), start, start + window.millis(), revision,
                        metrics));
            }
        }
        return Optional.empty();
    }

    private static Map<String, MetricSummary> summaries(final Map<String, Map<String, Number>> byMetric) {
        final Map<String, MetricSummary> metrics = new TreeMap<>();
        for (final Map.Entry<String, Map<String, Number>> metric : byMetric.entrySet()) {
            final Map<String, Number> values = metric.getValue();
            // A metric the device did not report in this window comes back with count 0 and nulls elsewhere.
            if (!values.keySet().containsAll(STATISTICS) || values.get("count").longValue() == 0) {
                continue;
            }
            metrics.put(metric.getKey(), new MetricSummary(values.get("count").longValue(),
                    values.get("sum").doubleValue(), values.get("min").doubleValue(), values.get("max").doubleValue(),
                    values.get("mean").doubleValue(), values.get("last").doubleValue()));
        }
        return metrics;
    }

    private static List<QueryResult.Series> series(final QueryResult result) {
        final List<QueryResult.Series> all = new ArrayList<>();
        if (result.getResults() != null) {
            for (final QueryResult.Result part : result.getResults()) {
                if (part.getSeries() != null) {
                    all.addAll(part.getSeries());
                }
            }
        }
        return all;
    }
}
