package io.pulsehub.extension;

import io.pulsehub.contract.BrokerStats;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker node leaves its numbers in Redis, in the contract's layout, for the bridges to write to InfluxDB:
 * HiveMQ's connection count, the connected devices and the login and publish counters, kept fresh every interval.
 */
class BrokerStatsIT {

    private static final String NODE = "it-broker-1";
    private static final int INTERVAL_MS = 200;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int SUCCESS = 0;
    /** Also a success: stored, and nobody subscribed to the device's telemetry. */
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final int PAYLOAD_FORMAT_INVALID = 0x99;

    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        hub = EmbeddedHub.withEmbeddedExtension("<broker-node>" + NODE + "</broker-node>"
                + "<broker-stats-interval-ms>" + INTERVAL_MS + "</broker-stats-interval-ms>");
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    /** Until the first sample is written, and while Redis restarts, reading it throws: try again. */
    private static ConditionFactory eventually() {
        return await().atMost(WAIT).ignoreExceptions();
    }

    /** The node's sample as a bridge reads it; fails while there is none. */
    private static BrokerStats stats() {
        try (RedisClient redis = hub.client()) {
            final Map<String, String> fields = redis.hgetAll(BrokerStats.key(NODE));
            return BrokerStats.fromFields(NODE, fields);
        }
    }

    @Test
    void theSampleIsFoundThroughTheNodeSetAndExpiresUnlessRenewed() {
        eventually().untilAsserted(() -> assertThat(stats().sampledAtMillis()).isPositive());
        final long first = stats().sampledAtMillis();

        eventually().untilAsserted(() -> {
            final BrokerStats later = stats();
            assertThat(later.sampledAtMillis()).isGreaterThan(first);
            try (RedisClient redis = hub.client()) {
                final long ttl = redis.pttl(BrokerStats.key(NODE));
                assertThat(ttl).isPositive().isLessThanOrEqualTo(BrokerStats.REPORTS_BEFORE_EXPIRY * INTERVAL_MS);
                final Double score = redis.zscore(BrokerStats.NODES, NODE);
                // Scored with a sample time at most one report older than the hash just read.
                assertThat(score).isNotNull();
                assertThat(score.longValue()).isBetween(later.sampledAtMillis() - INTERVAL_MS * 5L,
                        later.sampledAtMillis() + INTERVAL_MS * 5L);
            }
        });
        assertThat(Math.abs(stats().sampledAtMillis() - System.currentTimeMillis())).isLessThan(5_000);
    }

    @Test
    void countsConnectionsDevicesLoginsAndPublishesAsTheyHappen() throws Exception {
        eventually().untilAsserted(() -> assertThat(stats().sampledAtMillis()).isPositive());
        final BrokerStats before = stats();
        final ProvisionedDevice device = hub.provision("stats", "alice");

        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            eventually().untilAsserted(() -> {
                final BrokerStats now = stats();
                assertThat(now.connectedDevices()).isEqualTo(1);
                assertThat(now.connectedClients()).isGreaterThanOrEqualTo(1);
                assertThat(now.authSucceededTotal()).isEqualTo(before.authSucceededTotal() + 1);
            });

            assertThat(Mqtt.v5Refusal(hub.mqttUrl(), "stats-nobody", "stats-nobody", DeviceTokens.generate()))
                    .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
            eventually().untilAsserted(() ->
                    assertThat(stats().authFailedTotal()).isEqualTo(before.authFailedTotal() + 1));

            assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"temperature\": 21.5}").code())
                    .isIn(SUCCESS, NO_MATCHING_SUBSCRIBERS);
            assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"temperature\": \"warm\"}").code())
                    .isEqualTo(PAYLOAD_FORMAT_INVALID);
            eventually().untilAsserted(() -> {
                final BrokerStats now = stats();
                assertThat(now.publishesStoredTotal()).isEqualTo(before.publishesStoredTotal() + 1);
                assertThat(now.publishesRefusedTotal()).isEqualTo(before.publishesRefusedTotal() + 1);
            });
        } finally {
            Mqtt.disconnect(client);
        }
        eventually().untilAsserted(() -> assertThat(stats().connectedDevices()).isZero());
    }
}
