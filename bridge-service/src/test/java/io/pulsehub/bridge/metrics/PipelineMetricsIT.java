package io.pulsehub.bridge.metrics;

import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.bridge.stream.IngestWatermark;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.StreamLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline's meters on GET /prometheus and, every interval, as points of {@code pulsehub_pipeline} in InfluxDB,
 * counted against what the bridge really did.
 */
class PipelineMetricsIT {

    private static final StreamLayout LAYOUT = new StreamLayout(4);
    /** Generous: the aggregation and the reporter run on their own rhythm, and build machines can be very busy. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Every field a pipeline point has while Redis answers, for the Grafana dashboard's queries. */
    static final Set<String> FIELDS = Set.of("ingest_rate", "points_rate", "entries_consumed", "points_written",
            "entries_acked", "dead_lettered", "writes", "write_errors", "write_latency_ms_mean",
            "write_latency_ms_p99", "batch_size_mean", "aggregates_published", "commands_published", "pending",
            "undelivered", "backlog", "oldest_pending_age_ms", "dlq_entries");

    private static BridgeApp.Servers servers;
    private static BridgeApp app;

    @BeforeAll
    static void start() {
        servers = BridgeApp.Servers.start();
        final Map<String, Object> settings = BridgeApp.recordingAggregates(servers.settings());
        settings.put("hub.pipeline-metrics-interval", "300ms");
        settings.put("hub.aggregate-windows", "1s");
        settings.put("hub.aggregate-lateness", "200ms");
        app = BridgeApp.start(settings);
    }

    @AfterAll
    static void stop() {
        BridgeApp.close(app, servers);
    }

    private static void publish(final String device, final String payload) {
        final StreamEntry entry = new StreamEntry(device, System.currentTimeMillis() * 1_000_000L + 3,
                payload.getBytes(StandardCharsets.UTF_8));
        servers.append(LAYOUT, entry);
    }

    /** The value of the one sample of {@code name} whose labels include every one given, e.g. {@code kind="x"}. */
    private static double sample(final String scrape, final String name, final String... labels) {
        final Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(scrape);
        Double found = null;
        while (line.find()) {
            final String present = line.group(1) == null ? "" : line.group(1);
            if (List.of(labels).stream().allMatch(present::contains)) {
                assertThat(found).as("more than one sample of " + name + " with " + List.of(labels)).isNull();
                found = Double.parseDouble(line.group(2));
            }
        }
        assertThat(found).as(name + " " + List.of(labels) + " in\n" + scrape).isNotNull();
        return found;
    }

    private static String scrape() {
        final HttpResponse<String> response = app.get("/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));
        return response.body();
    }

    private static List<Map<String, Object>> pipelineRows() {
        return servers.influx().rows(BridgeApp.DB, "SELECT * FROM pulsehub_pipeline WHERE bridge = 'bridge-it'");
    }

    private static double sumOf(final String field) {
        return pipelineRows().stream().map(row -> row.get(field)).filter(Number.class::isInstance)
                .mapToDouble(value -> ((Number) value).doubleValue()).sum();
    }

    @Test
    void countsWhatThePipelineDidOnPrometheusAndInInflux() {
        // The aggregation starts with the window current when it first leads (no backfill): publish after that.
        await().atMost(PATIENCE).until(() -> servers.jedis().exists("pulsehub:aggregates:closed:1s"));
        // A float where InfluxDB already has an integer: refused, dead-lettered.
        final long ts = System.currentTimeMillis() - 500;
        servers.influx().createDatabase(BridgeApp.DB);
        servers.influx().write(BridgeApp.DB, "telemetry,device=metrics-p poisoned=1i " + (ts - 1) * 1_000_000L);
        for (int i = 0; i < 5; i++) {
            publish("metrics-" + i, "{\"v\":" + i + "}");
        }
        publish("metrics-p", "{\"ts\":" + ts + ",\"poisoned\":2.5}");

        await().atMost(PATIENCE).untilAsserted(() -> {
            final String scrape = scrape();
            assertThat(sample(scrape, "pulsehub_bridge_entries_consumed_total")).isEqualTo(6);
            assertThat(sample(scrape, "pulsehub_bridge_points_written_total")).isEqualTo(5);
            assertThat(sample(scrape, "pulsehub_bridge_entries_acked_total")).isEqualTo(6);
            assertThat(sample(scrape, "pulsehub_bridge_entries_dead_lettered_total")).isEqualTo(1);
            assertThat(sample(scrape, "pulsehub_bridge_influx_write_errors_total", "kind=\"refused\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(sample(scrape, "pulsehub_bridge_influx_write_errors_total", "kind=\"unavailable\""))
                    .isZero();
            assertThat(sample(scrape, "pulsehub_bridge_influx_write_seconds_count")).isGreaterThanOrEqualTo(1);
            assertThat(sample(scrape, "pulsehub_bridge_batch_size_count")).isGreaterThanOrEqualTo(1);
            assertThat(sample(scrape, "pulsehub_bridge_batch_size_sum")).isEqualTo(6);
            assertThat(sample(scrape, "pulsehub_bridge_dlq_entries")).isEqualTo(1);
            assertThat(sample(scrape, "pulsehub_bridge_stream_backlog")).isZero();
            assertThat(sample(scrape, "pulsehub_bridge_stream_pending")).isZero();
            assertThat(sample(scrape, "pulsehub_bridge_stream_oldest_pending_age_seconds")).isZero();
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sample(scrape(),
                "pulsehub_bridge_aggregates_published_total", "revision=\"first\""))
                .as("aggregates published; watermark %d, closed up to %s",
                        app.bean(IngestWatermark.class).millis(), servers.jedis().get("pulsehub:aggregates:closed:1s"))
                .isGreaterThanOrEqualTo(5));
        assertThat(app.get("/health").statusCode()).isEqualTo(200);
        // Paths become route templates or a fixed word: no device id, and no series per probed path.
        app.get("/api/devices/probe-1");
        app.get("/api/probe-2");
        app.get("/probe-3.js");
        assertThat(scrape()).doesNotContain("probe").doesNotContain("metrics-");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sample(scrape(), "http_server_requests_seconds_count",
                "uri=\"/health\"", "status=\"200\"")).isGreaterThanOrEqualTo(1));

        // Every interval's point adds up to the same totals.
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(sumOf("entries_consumed")).isEqualTo(6);
            assertThat(sumOf("points_written")).isEqualTo(5);
            assertThat(sumOf("entries_acked")).isEqualTo(6);
            assertThat(sumOf("dead_lettered")).isEqualTo(1);
            assertThat(sumOf("write_errors")).isGreaterThanOrEqualTo(1);
            assertThat(sumOf("aggregates_published")).isGreaterThanOrEqualTo(5);
            assertThat(pipelineRows()).last().satisfies(row -> {
                assertThat(row.keySet()).containsAll(FIELDS).contains("bridge", "time");
                assertThat(row.get("dlq_entries")).isEqualTo(1L);
                assertThat(row.get("backlog")).isEqualTo(0L);
            });
        });
        assertThat(pipelineRows()).anySatisfy(row -> {
            assertThat(((Number) row.get("ingest_rate")).doubleValue()).isPositive();
            assertThat(((Number) row.get("write_latency_ms_p99")).doubleValue()).isPositive();
        });
    }
}
