package io.pulsehub.bridge.metrics;

import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.contract.BrokerStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractPipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge writes each broker node's sample, as the extension leaves it in Redis, to {@code pulsehub_broker} in
 * InfluxDB: one point per sample however often it is read, nothing of nodes whose sample expired, and the node set
 * rid of nodes gone for good.
 */
class BrokerMetricsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration EXPIRY = Duration.ofMinutes(1);

    private static BridgeApp.Servers servers;
    private static BridgeApp app;

    @BeforeAll
    static void start() {
        servers = BridgeApp.Servers.start();
        // Queried before the bridge has written anything: the database must be there from the start.
        servers.influx().createDatabase(BridgeApp.DB);
        final Map<String, Object> settings = BridgeApp.recordingAggregates(servers.settings());
        settings.put("hub.pipeline-metrics-interval", "300ms");
        app = BridgeApp.start(settings);
    }

    @AfterAll
    static void stop() {
        BridgeApp.close(app, servers);
    }

    /** What the extension does every interval, in the contract's layout. */
    private static void report(final BrokerStats stats) {
        try (AbstractPipeline pipeline = servers.jedis().pipelined()) {
            pipeline.hset(BrokerStats.key(stats.node()), stats.toFields());
            pipeline.pexpire(BrokerStats.key(stats.node()), EXPIRY.toMillis());
            pipeline.zadd(BrokerStats.NODES, stats.sampledAtMillis(), stats.node());
            pipeline.sync();
        }
    }

    private static List<Map<String, Object>> rows(final String node) {
        return servers.influx().rows(BridgeApp.DB,
                "SELECT * FROM pulsehub_broker WHERE broker = '" + node + "'");
    }

    private static int pipelinePoints() {
        return servers.influx().rows(BridgeApp.DB, "SELECT * FROM pulsehub_pipeline WHERE bridge = 'bridge-it'")
                .size();
    }

    @Test
    void writesEachSampleOnceAtItsOwnTimeWithEveryNumber() {
        final long sampledAt = System.currentTimeMillis() - 1_000;
        report(new BrokerStats("it-broker-a", sampledAt, 12, 9, 40, 3, 1_000, 17));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows("it-broker-a")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("time")).isEqualTo(sampledAt);
                    assertThat(row).containsEntry("broker", "it-broker-a")
                            .containsEntry("connected_clients", 12L)
                            .containsEntry("connected_devices", 9L)
                            .containsEntry("auth_succeeded_total", 40L)
                            .containsEntry("auth_failed_total", 3L)
                            .containsEntry("publishes_stored_total", 1_000L)
                            .containsEntry("publishes_refused_total", 17L);
                }));

        // Read again every interval, the unchanged sample rewrites the same point instead of adding one.
        final int pipelineBefore = pipelinePoints();
        await().atMost(PATIENCE).until(() -> pipelinePoints() >= pipelineBefore + 3);
        assertThat(rows("it-broker-a")).hasSize(1);

        report(new BrokerStats("it-broker-a", sampledAt + 500, 13, 9, 41, 5, 1_010, 17));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows("it-broker-a")).hasSize(2)
                .last().satisfies(row -> assertThat(row).containsEntry("auth_failed_total", 5L)));
    }

    @Test
    void expiredMalformedAndForgottenNodesAreLeftOutWithoutStoppingTheOthers() {
        final long now = System.currentTimeMillis();
        // Expired: in the node set, its hash gone.
        servers.jedis().zadd(BrokerStats.NODES, now, "it-broker-expired");
        // Not written by the hub.
        servers.jedis().hset(BrokerStats.key("it-broker-bad"), Map.of("connected_clients", "lots"));
        servers.jedis().zadd(BrokerStats.NODES, now, "it-broker-bad");
        // Silent for longer than any broker may be between reports.
        final long longAgo = now - BrokerStats.FORGET_AFTER.toMillis() - 60_000;
        servers.jedis().zadd(BrokerStats.NODES, longAgo, "it-broker-gone");
        report(new BrokerStats("it-broker-b", now, 1, 0, 0, 0, 0, 0));

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(rows("it-broker-b")).hasSize(1);
            assertThat(servers.jedis().zscore(BrokerStats.NODES, "it-broker-gone")).isNull();
        });
        assertThat(servers.jedis().zscore(BrokerStats.NODES, "it-broker-expired")).isNotNull();
        assertThat(rows("it-broker-expired")).isEmpty();
        assertThat(rows("it-broker-bad")).isEmpty();
        assertThat(rows("it-broker-gone")).isEmpty();
    }
}
