package io.pulsehub.extension.stats;

import io.pulsehub.contract.BrokerStats;
import io.pulsehub.extension.redis.RedisClients;
import io.pulsehub.testsupport.RedisServer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The reporter against a real redis-server that goes away and comes back, without HiveMQ around it. */
class BrokerStatsReporterIT {

    private static final String NODE = "reporter-it";
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private RedisServer server;
    private RedisClient redis;
    private RedisClient reader;
    private BrokerStatsReporter reporter;
    private final AtomicInteger samples = new AtomicInteger();

    @BeforeEach
    void start() {
        server = RedisServer.start();
        redis = RedisClients.create(URI.create(server.url()), Duration.ofMillis(500), "reporter-it", 2);
        reader = RedisClient.create(URI.create(server.url()));
        reporter = new BrokerStatsReporter(redis, () -> {
            // The first sample fails as a sampler bug would: the schedule must survive it.
            if (samples.incrementAndGet() == 1) {
                throw new IllegalStateException("first sample fails");
            }
            return new BrokerStats(NODE, System.currentTimeMillis(), samples.get(), 1, 2, 3, 4, 5);
        }, INTERVAL);
        reporter.start();
    }

    @AfterEach
    void stop() {
        if (reporter != null) {
            reporter.stop(Duration.ofSeconds(2));
        }
        if (reader != null) {
            reader.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Until the first sample is written, and while Redis restarts, reading it throws: try again. */
    private static ConditionFactory eventually() {
        return await().atMost(WAIT).ignoreExceptions();
    }

    private BrokerStats stored() {
        final Map<String, String> fields = reader.hgetAll(BrokerStats.key(NODE));
        return BrokerStats.fromFields(NODE, fields);
    }

    @Test
    void writesEverySampleWithExpiryAndNodeScoreAndOutlivesAFailingSampler() {
        eventually().untilAsserted(() -> {
            final BrokerStats stats = stored();
            assertThat(stats.connectedClients()).isGreaterThanOrEqualTo(2);
            assertThat(stats.publishesRefusedTotal()).isEqualTo(5);
            assertThat(reader.zscore(BrokerStats.NODES, NODE)).isEqualTo((double) stats.sampledAtMillis());
        });
        assertThat(reader.pttl(BrokerStats.key(NODE))).isPositive()
                .isLessThanOrEqualTo(BrokerStats.expiry(INTERVAL).toMillis());
    }

    @Test
    void keepsTryingWhileRedisIsDownAndReportsAgainOnceItIsBack() {
        eventually().untilAsserted(() -> assertThat(stored().connectedClients()).isPositive());

        server.stop();
        final int beforeOutage = samples.get();
        eventually().until(() -> samples.get() >= beforeOutage + 3);
        server.restart();
        final long back = System.currentTimeMillis();

        eventually().untilAsserted(() -> assertThat(stored().sampledAtMillis()).isGreaterThan(back));
    }

    @Test
    void aStoppedNodesSampleExpiresByItself() {
        eventually().untilAsserted(() -> assertThat(stored().connectedClients()).isPositive());

        reporter.stop(Duration.ofSeconds(2));

        eventually().until(() -> !reader.exists(BrokerStats.key(NODE)));
        // The node set keeps the name until a reader forgets it; only the hash says the node is alive.
        assertThat(reader.zscore(BrokerStats.NODES, NODE)).isNotNull();
    }
}
