package io.pulsehub.bridge.aggregate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.StreamLayout;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Windows close once everything that entered Redis for them is in InfluxDB; the aggregate published and stored for
 * each equals what InfluxDB's raw points of that window give. Late readings republish the window with a revision.
 */
class AggregatesIT {

    private static final StreamLayout LAYOUT = new StreamLayout(4);
    private static final AggregateWindow SECOND = new AggregateWindow("1s", 1_000);
    private static final AggregateWindow TWO_SECONDS = new AggregateWindow("2s", 2_000);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static BridgeApp.Servers servers;
    private static BridgeApp app;
    private static RecordingPublisher published;

    @BeforeAll
    static void start() {
        servers = BridgeApp.Servers.start();
        final Map<String, Object> settings = BridgeApp.recordingAggregates(servers.settings());
        settings.put("hub.aggregate-windows", "1s,2s");
        settings.put("hub.aggregate-lateness", "300ms");
        app = BridgeApp.start(settings);
        published = app.bean(RecordingPublisher.class);
    }

    @AfterAll
    static void stop() {
        BridgeApp.close(app, servers);
    }

    private static void publish(final String device, final String payload) {
        final StreamEntry entry = new StreamEntry(device, System.currentTimeMillis() * 1_000_000L + 1_000,
                payload.getBytes(StandardCharsets.UTF_8));
        servers.append(LAYOUT, entry);
    }

    /** A window start far enough ahead that the bridge has not closed it, and aggregates from it (no backfill). */
    private static long nextWindowStart() {
        return TWO_SECONDS.startOf(System.currentTimeMillis()) + 2_000;
    }

    /** count, sum, min, max, mean, last of each metric, computed here from InfluxDB's raw points of the window. */
    private static Map<String, MetricSummary> fromRawPoints(final String device, final long start, final long end) {
        final List<Map<String, Object>> rows = servers.influx().rows(BridgeApp.DB,
                "SELECT * FROM telemetry WHERE device = '" + device + "' AND time >= " + start + "ms AND time < " + end
                        + "ms");
        rows.sort(Comparator.comparing(row -> (Long) row.get("time")));
        final Map<String, List<Double>> values = new TreeMap<>();
        for (final Map<String, Object> row : rows) {
            row.forEach((column, value) -> {
                if (!column.equals("time") && !column.equals("device") && value instanceof Number number) {
                    values.computeIfAbsent(column, k -> new ArrayList<>()).add(number.doubleValue());
                }
            });
        }
        final Map<String, MetricSummary> metrics = new TreeMap<>();
        values.forEach((metric, list) -> {
            final double sum = list.stream().mapToDouble(Double::doubleValue).sum();
            metrics.put(metric, new MetricSummary(list.size(), sum,
                    list.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    list.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                    sum / list.size(), list.get(list.size() - 1)));
        });
        return metrics;
    }

    private static void assertSameSummaries(final Map<String, MetricSummary> actual,
                                            final Map<String, MetricSummary> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((metric, summary) -> {
            final MetricSummary got = actual.get(metric);
            assertThat(got.count()).as(metric + " count").isEqualTo(summary.count());
            assertThat(got.sum()).as(metric + " sum").isCloseTo(summary.sum(), within(1e-9));
            assertThat(got.min()).as(metric + " min").isEqualTo(summary.min());
            assertThat(got.max()).as(metric + " max").isEqualTo(summary.max());
            assertThat(got.mean()).as(metric + " mean").isCloseTo(summary.mean(), within(1e-9));
            assertThat(got.last()).as(metric + " last").isEqualTo(summary.last());
        });
    }

    private static Map<String, MetricSummary> stored(final AggregateWindow window, final String device,
                                                     final long start) {
        final List<Map<String, Object>> rows = servers.influx().rows(BridgeApp.DB,
                "SELECT * FROM " + window.measurement() + " WHERE device = '" + device + "' AND time = " + start
                        + "ms");
        assertThat(rows).hasSize(1);
        final Map<String, Map<String, Double>> byMetric = new TreeMap<>();
        rows.get(0).forEach((column, value) -> {
            final int split = column.lastIndexOf('_');
            if (split > 0 && value instanceof Number number) {
                byMetric.computeIfAbsent(column.substring(0, split), k -> new TreeMap<>())
                        .put(column.substring(split + 1), number.doubleValue());
            }
        });
        final Map<String, MetricSummary> metrics = new TreeMap<>();
        byMetric.forEach((metric, s) -> metrics.put(metric, new MetricSummary(s.get("count").longValue(),
                s.get("sum"), s.get("min"), s.get("max"), s.get("mean"), s.get("last"))));
        return metrics;
    }

    private static long storedRevision(final AggregateWindow window, final String device, final long start) {
        return ((Number) servers.influx().rows(BridgeApp.DB, "SELECT revision FROM " + window.measurement()
                + " WHERE device = '" + device + "' AND time = " + start + "ms").get(0).get("revision")).longValue();
    }

    @Test
    void publishesAndStoresWindowsThatEqualTheRawPoints() {
        final long start = nextWindowStart();
        publish("agg-1", "[{\"ts\":" + (start + 100) + ",\"temperature\":21.5,\"humidity\":40},"
                + "{\"ts\":" + (start + 400) + ",\"temperature\":22.25},"
                + "{\"ts\":" + (start + 999) + ",\"temperature\":20.0,\"humidity\":42}]");
        publish("agg-1", "{\"ts\":" + (start + 1_500) + ",\"temperature\":19.75}");
        publish("agg-2", "{\"ts\":" + (start + 1_000) + ",\"heart_rate\":70,\"steps\":3}");
        publish("agg-2", "{\"ts\":" + (start + 1_999) + ",\"heart_rate\":74,\"steps\":4}");

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(published.publishedFor("agg-1")).extracting(Aggregate::window, Aggregate::start)
                    .contains(Tuple.tuple("1s", start),
                            Tuple.tuple("1s", start + 1_000),
                            Tuple.tuple("2s", start));
            assertThat(published.publishedFor("agg-2")).hasSize(2);
        });

        assertThat(published.publishedFor("agg-1").stream().filter(a -> a.window().equals("1s") && a.start() == start)
                .findFirst().orElseThrow().metrics()).isEqualTo(Map.of(
                "temperature", new MetricSummary(3, 63.75, 20.0, 22.25, 21.25, 20.0),
                "humidity", new MetricSummary(2, 82.0, 40.0, 42.0, 41.0, 42.0)));
        for (final Aggregate aggregate : published.published()) {
            if (!aggregate.device().startsWith("agg-")) {
                continue;
            }
            final AggregateWindow window = aggregate.window().equals("1s") ? SECOND : TWO_SECONDS;
            assertThat(aggregate.end()).isEqualTo(aggregate.start() + window.millis());
            assertThat(aggregate.revision()).isZero();
            final Map<String, MetricSummary> raw = fromRawPoints(aggregate.device(), aggregate.start(),
                    aggregate.end());
            assertSameSummaries(aggregate.metrics(), raw);
            assertSameSummaries(stored(window, aggregate.device(), aggregate.start()), raw);
        }
        assertThat(published.publishedFor("agg-2")).extracting(Aggregate::window, Aggregate::start)
                .containsExactlyInAnyOrder(Tuple.tuple("1s", start + 1_000),
                        Tuple.tuple("2s", start));
        assertThat(Long.parseLong(servers.jedis().get("pulsehub:aggregates:closed:2s")))
                .isGreaterThanOrEqualTo(start + 2_000);
        assertThat(published.publicationsFor("agg-1")).extracting(RecordingPublisher.Publication::retained)
                .containsOnly(true);
    }

    @Test
    void aLateReadingRepublishesItsWindowWithTheNextRevision() {
        final long start = nextWindowStart();
        publish("late-1", "{\"ts\":" + (start + 200) + ",\"v\":1}");
        await().atMost(PATIENCE).until(() -> published.publishedFor("late-1").stream()
                .anyMatch(a -> a.window().equals("1s") && a.start() == start));
        // Later windows closed too, so the retained message of the topic is no longer this window's.
        await().atMost(PATIENCE).until(() -> Long.parseLong(servers.jedis().get("pulsehub:aggregates:closed:1s"))
                >= start + 3_000);

        // An offline device uploads a buffered reading for the window that was already published.
        publish("late-1", "{\"ts\":" + (start + 700) + ",\"v\":5}");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(published.publishedFor("late-1"))
                .filteredOn(a -> a.window().equals("1s") && a.start() == start)
                .extracting(Aggregate::revision, Aggregate::metrics)
                .containsExactly(
                        Tuple.tuple(0, Map.of("v", new MetricSummary(1, 1, 1, 1, 1, 1))),
                        Tuple.tuple(1, Map.of("v", new MetricSummary(2, 6, 1, 5, 3, 5)))));
        assertThat(published.publicationsFor("late-1")).filteredOn(p -> p.aggregate().window().equals("1s"))
                .extracting(RecordingPublisher.Publication::retained).containsExactly(true, false);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(storedRevision(SECOND, "late-1", start)).isEqualTo(1);
            assertSameSummaries(stored(SECOND, "late-1", start), fromRawPoints("late-1", start, start + 1_000));
        });
        // The 2s window holding it was corrected the same way.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(published.publishedFor("late-1"))
                .filteredOn(a -> a.window().equals("2s") && a.start() == start)
                .extracting(Aggregate::revision, Aggregate::metrics)
                .containsExactly(
                        Tuple.tuple(0, Map.of("v", new MetricSummary(1, 1, 1, 1, 1, 1))),
                        Tuple.tuple(1, Map.of("v", new MetricSummary(2, 6, 1, 5, 3, 5)))));
    }

    @Test
    void aWindowStaysOpenWhileTheBrokerIsDownAndIsPublishedWhenItReturns() {
        published.setDown(true);
        try {
            final long start = nextWindowStart();
            publish("outage-agg", "{\"ts\":" + (start + 10) + ",\"v\":7}");
            final int refusedBefore = published.refused();
            await().atMost(PATIENCE).until(() -> published.refused() >= refusedBefore + 3);
            assertThat(Long.parseLong(servers.jedis().get("pulsehub:aggregates:closed:1s"))).isLessThanOrEqualTo(start);
            assertThat(published.publishedFor("outage-agg")).isEmpty();
            assertThat(app.get("/health").statusCode()).isEqualTo(503);

            published.setDown(false);

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(published.publishedFor("outage-agg"))
                    .extracting(Aggregate::window, Aggregate::start)
                    .contains(Tuple.tuple("1s", start)));
            await().atMost(PATIENCE).until(() -> app.get("/health").statusCode() == 200);
        } finally {
            published.setDown(false);
        }
    }

    private static double windowsClosed(final String statistics) {
        final Counter counter = app.bean(MeterRegistry.class).find("pulsehub.bridge.windows.closed")
                .tag("statistics", statistics).counter();
        return counter == null ? 0 : counter.count();
    }

    /** What InfluxDB's query of the raw points gives for one device's window, the way closing by query reads it. */
    private static Map<String, MetricSummary> queried(final AggregateWindow window, final String device,
                                                      final long start) {
        return AggregateRows.fromWindowQuery(app.bean(TelemetryStore.class).query(
                        AggregateRows.windowQuery(start, start + window.millis(), List.of(device))), window, start, 0)
                .get(0).metrics();
    }

    private static Aggregate publishedWindow(final String device, final AggregateWindow window, final long start) {
        return published.publishedFor(device).stream()
                .filter(a -> a.window().equals(window.name()) && a.start() == start).findFirst().orElseThrow();
    }

    @Test
    void aWindowClosedFromWhatTheBridgeKeptEqualsTheQueryOfItsRawPointsBitForBit() {
        final long seed = System.nanoTime();
        System.out.println("AggregatesIT random readings, seed " + seed);
        final Random random = new Random(seed);
        // The window after next: all of it is appended long before it can close, so none of it is late.
        final long start = nextWindowStart() + 2_000;
        final double keptBefore = windowsClosed("kept");
        final List<String> devices = List.of("exact-1", "exact-2", "exact-3");
        for (int i = 0; i < 60; i++) {
            for (final String device : devices) {
                // Values with long fractions, so that the order of the additions shows in the sums' last bits.
                publish(device, "{\"ts\":" + (start + i * 30 + 1) + ",\"t\":" + (random.nextDouble() * 200 - 100)
                        + ",\"h\":" + random.nextGaussian() * 1e6 + "}");
            }
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            for (final String device : devices) {
                assertThat(published.publishedFor(device)).extracting(Aggregate::window, Aggregate::start)
                        .contains(Tuple.tuple("2s", start), Tuple.tuple("1s", start), Tuple.tuple("1s", start + 1_000));
            }
        });

        for (final String device : devices) {
            for (final AggregateWindow window : List.of(SECOND, TWO_SECONDS)) {
                for (long windowStart = start; windowStart < start + 2_000; windowStart += window.millis()) {
                    final Aggregate aggregate = publishedWindow(device, window, windowStart);
                    assertThat(aggregate.metrics()).as(device + " " + window.name() + " " + windowStart)
                            .isEqualTo(queried(window, device, windowStart));
                    assertThat(stored(window, device, windowStart)).isEqualTo(aggregate.metrics());
                }
            }
        }
        assertThat(publishedWindow("exact-1", TWO_SECONDS, start).metrics().get("t").count()).isEqualTo(60);
        assertThat(windowsClosed("kept") - keptBefore).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aDeviceWhoseReadingsComeOutOfTimeOrderGetsItsAggregateFromTheQuery() {
        final long start = nextWindowStart() + 2_000;
        publish("order-1", "{\"ts\":" + (start + 500) + ",\"v\":1}");
        publish("order-1", "{\"ts\":" + (start + 100) + ",\"v\":2}"); // a buffered reading, sent after
        publish("order-1", "{\"ts\":" + (start + 100) + ",\"v\":3}"); // the same time again: InfluxDB keeps one
        publish("order-2", "{\"ts\":" + (start + 200) + ",\"v\":4}");

        await().atMost(PATIENCE).until(() -> published.publishedFor("order-1").stream()
                .anyMatch(a -> a.window().equals("1s") && a.start() == start));

        assertThat(publishedWindow("order-1", SECOND, start).metrics())
                .isEqualTo(Map.of("v", new MetricSummary(2, 4, 1, 3, 2, 1)))
                .isEqualTo(fromRawPoints("order-1", start, start + 1_000));
        assertThat(publishedWindow("order-2", SECOND, start).metrics())
                .isEqualTo(Map.of("v", new MetricSummary(1, 4, 4, 4, 4, 4)));
    }

    @Test
    void aWindowAnotherInstanceWroteToIsClosedByQueryingInfluxDb() {
        final long start = nextWindowStart() + 2_000;
        final double queriedBefore = windowsClosed("queried");
        // Another bridge instance wrote a reading of this window (it is in InfluxDB) and said so in Redis.
        for (final AggregateWindow window : List.of(SECOND, TWO_SECONDS)) {
            servers.jedis().sadd("pulsehub:aggregates:writers:" + window.name() + ":" + start, "bridge-2/other");
        }
        servers.influx().write(BridgeApp.DB, "telemetry,device=shared-1 v=5 " + (start + 100) * 1_000_000L);
        publish("shared-1", "{\"ts\":" + (start + 500) + ",\"v\":1}");

        await().atMost(PATIENCE).until(() -> published.publishedFor("shared-1").stream()
                .anyMatch(a -> a.window().equals("2s") && a.start() == start));

        final Map<String, MetricSummary> both = Map.of("v", new MetricSummary(2, 6, 1, 5, 3, 1));
        assertThat(publishedWindow("shared-1", SECOND, start).metrics()).isEqualTo(both);
        assertThat(publishedWindow("shared-1", TWO_SECONDS, start).metrics()).isEqualTo(both);
        assertThat(windowsClosed("queried") - queriedBefore).isGreaterThanOrEqualTo(2);
    }
}
