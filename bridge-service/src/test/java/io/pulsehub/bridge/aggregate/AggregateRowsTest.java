package io.pulsehub.bridge.aggregate;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AggregateRowsTest {

    private static final AggregateWindow MINUTE = new AggregateWindow("1m", 60_000);
    private static final long START = 1_732_329_960_000L;

    private static QueryResult result(final List<QueryResult.Series> series) {
        final QueryResult.Result part = new QueryResult.Result();
        part.setSeries(series);
        final QueryResult result = new QueryResult();
        result.setResults(List.of(part));
        return result;
    }

    private static QueryResult.Series series(final Map<String, String> tags, final List<String> columns,
                                             final Object... values) {
        final QueryResult.Series series = new QueryResult.Series();
        series.setName("telemetry");
        series.setTags(tags);
        series.setColumns(columns);
        final List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList(values));
        series.setValues(rows);
        return series;
    }

    @Test
    void mapsTheWindowQueryColumnsPerDeviceAndSkipsMetricsWithoutReadings() {
        final List<String> columns = List.of("time", "count_humidity", "count_temperature", "sum_humidity",
                "sum_temperature", "min_humidity", "min_temperature", "max_humidity", "max_temperature",
                "mean_humidity", "mean_temperature", "last_humidity", "last_temperature");
        // Moshi reads every JSON number as a Double.
        final QueryResult result = result(List.of(
                series(Map.of("device", "d1"), columns, (double) START, 2.0, 3.0, 80.0, 64.5, 39.0, 21.0,
                        41.0, 22.0, 40.0, 21.5, 41.0, 21.5),
                series(Map.of("device", "d2"), columns, (double) START, 0.0, 1.0, null, 5.0, null, 5.0, null,
                        5.0, null, 5.0, null, 5.0)));

        final List<Aggregate> aggregates = AggregateRows.fromWindowQuery(result, MINUTE, START, 0);

        assertThat(aggregates).containsExactly(
                new Aggregate("d1", "1m", START, START + 60_000, 0, Map.of(
                        "humidity", new MetricSummary(2, 80.0, 39.0, 41.0, 40.0, 41.0),
                        "temperature", new MetricSummary(3, 64.5, 21.0, 22.0, 21.5, 21.5))),
                new Aggregate("d2", "1m", START, START + 60_000, 0, Map.of(
                        "temperature", new MetricSummary(1, 5.0, 5.0, 5.0, 5.0, 5.0))));
    }

    @Test
    void anEmptyWindowGivesNoAggregate() {
        assertThat(AggregateRows.fromWindowQuery(result(null), MINUTE, START, 0)).isEmpty();
        assertThat(AggregateRows.fromWindowQuery(new QueryResult(), MINUTE, START, 0)).isEmpty();
    }

    @Test
    void readsBackAStoredAggregateWithItsRevision() {
        final QueryResult stored = result(List.of(series(null, List.of("time", "device", "heart_rate_count",
                        "heart_rate_last", "heart_rate_max", "heart_rate_mean", "heart_rate_min", "heart_rate_sum",
                        "revision"),
                (double) START, "d1", 2.0, 70.0, 72.0, 71.0, 70.0, 142.0, 3.0)));

        assertThat(AggregateRows.fromStoredPoint(stored, MINUTE, START, "d1")).contains(
                new Aggregate("d1", "1m", START, START + 60_000, 3, Map.of(
                        "heart_rate", new MetricSummary(2, 142.0, 70.0, 72.0, 71.0, 70.0))));
        assertThat(AggregateRows.fromStoredPoint(result(null), MINUTE, START, "d1")).isEmpty();
    }

    @Test
    void queriesOneWindowForAllDevicesOrSome() {
        assertThat(AggregateRows.windowQuery(1000, 2000)).isEqualTo(
                "SELECT count(*),sum(*),min(*),max(*),mean(*),last(*) FROM telemetry"
                        + " WHERE time >= 1000ms AND time < 2000ms GROUP BY device");
        assertThat(AggregateRows.windowQuery(1000, 2000, List.of("d-1.x"))).isEqualTo(
                "SELECT count(*),sum(*),min(*),max(*),mean(*),last(*) FROM telemetry"
                        + " WHERE time >= 1000ms AND time < 2000ms AND (device = 'd-1.x') GROUP BY device");
        assertThat(AggregateRows.windowQuery(1000, 2000, List.of("a", "b"))).isEqualTo(
                "SELECT count(*),sum(*),min(*),max(*),mean(*),last(*) FROM telemetry"
                        + " WHERE time >= 1000ms AND time < 2000ms AND (device = 'a' OR device = 'b') GROUP BY device");
    }

    @Test
    void storesAnAggregateAsOnePointAtTheWindowStart() {
        final Aggregate aggregate = new Aggregate("d1", "1m", START, START + 60_000, 2, Map.of(
                "temperature", new MetricSummary(3, 64.5, 21.0, 22.0, 21.5, 21.5)));

        assertThat(AggregatePoints.of(aggregate, MINUTE).lineProtocol()).isEqualTo("aggregates_1m,device=d1 "
                + "revision=2i,temperature_count=3i,temperature_last=21.5,temperature_max=22.0,temperature_mean=21.5,"
                + "temperature_min=21.0,temperature_sum=64.5 " + START * 1_000_000L);
    }
}
