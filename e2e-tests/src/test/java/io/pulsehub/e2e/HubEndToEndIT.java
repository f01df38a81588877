package io.pulsehub.e2e;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.MetricSummary;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.contract.Topics;
import io.pulsehub.testsupport.MqttInbox;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The hub end to end, as device makers and app developers use it: provisioning over HTTP, readings over MQTT 3.1.1
 * and 5 into InfluxDB, aggregates back over MQTT to the owner's app, and every refusal on the way.
 */
class HubEndToEndIT {

    private static final Duration STORED_WITHIN = Duration.ofSeconds(30);
    private static final String WINDOW = "2s";
    private static final long WINDOW_MS = 2_000;

    private static Hub hub;
    private static RedisClient redis;

    @BeforeAll
    static void startHub() throws Exception {
        hub = Hub.start(WINDOW);
        redis = RedisClient.create(URI.create(hub.redis.url()));
    }

    @AfterAll
    static void stopHub() {
        if (redis != null) {
            redis.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void readingsOverMqtt311AreStoredWithExactValuesAndTimes() throws Exception {
        final String token = hub.provision("e2e-v3", "alice");
        final long base = System.currentTimeMillis() - 60_000;
        final MqttClient device = Clients.deviceV3(hub, "e2e-v3", token);
        try {
            for (int i = 0; i < 40; i++) {
                device.publish(Topics.telemetry("e2e-v3"), reading(base + i * 10L, 20 + i * 0.25, i), 1, false);
            }
        } finally {
            device.disconnect();
            device.close();
        }

        assertStoredExactly("e2e-v3", base, 40);
    }

    @Test
    void readingsOverMqtt5AreStoredWithExactValuesAndTimes() throws Exception {
        final String token = hub.provision("e2e-v5", "alice");
        final long base = System.currentTimeMillis() - 60_000;
        final MqttAsyncClient device = Clients.deviceV5(hub, "e2e-v5", token);
        try {
            for (int i = 0; i < 40; i++) {
                final IMqttToken ack = device.publish(Topics.telemetry("e2e-v5"),
                        reading(base + i * 10L, 20 + i * 0.25, i), 1, false);
                ack.waitForCompletion(10_000);
                // Success, or success with nobody subscribed to the device's live telemetry.
                assertThat(ack.getReasonCodes()).containsAnyOf(0x00, 0x10).hasSize(1);
            }
        } finally {
            Clients.closeQuietly(device);
        }

        assertStoredExactly("e2e-v5", base, 40);
    }

    @Test
    void ownersAppReceivesAggregatesEqualToTheRawPoints() throws Exception {
        final String token = hub.provision("e2e-agg", "alice");
        final MqttAsyncClient app = Clients.appV5(hub, AppTokens.mint(Hub.JWT_SECRET, "alice", Duration.ofHours(1)));
        final MqttInbox inbox = new MqttInbox();
        app.setCallback(inbox);
        final MqttAsyncClient device = Clients.deviceV5(hub, "e2e-agg", token);
        // Readings spread over the next three windows; they close once the bridge has seen everything before their
        // end, so every one of these readings must be in its window's aggregate.
        final long first = Math.floorDiv(System.currentTimeMillis(), WINDOW_MS) * WINDOW_MS + WINDOW_MS;
        try {
            assertThat(subscribeReasonCode(app, Topics.aggregate("e2e-agg", WINDOW))).isEqualTo(1);

            for (int i = 0; i < 60; i++) {
                device.publish(Topics.telemetry("e2e-agg"), reading(first + i * 100L, 15 + (i % 7) * 1.5, i),
                        1, false).waitForCompletion(10_000);
            }

            await("three closed windows").atMost(Duration.ofSeconds(45))
                    .until(() -> aggregates(inbox).stream().filter(a -> a.start() >= first).count() >= 3);
        } finally {
            Clients.closeQuietly(device);
            Clients.closeQuietly(app);
        }

        final List<Aggregate> windows = aggregates(inbox).stream().filter(a -> a.start() >= first)
                .sorted(Comparator.comparingLong(Aggregate::start)).toList();
        for (final Aggregate aggregate : windows) {
            assertThat(aggregate.device()).isEqualTo("e2e-agg");
            assertThat(aggregate.window()).isEqualTo(WINDOW);
            assertThat(aggregate.end() - aggregate.start()).isEqualTo(WINDOW_MS);
            assertThat(aggregate.start() % WINDOW_MS).isZero();
            assertMatchesRawPoints(aggregate);
        }
        assertThat(windows.subList(0, 3)).extracting(a -> a.metrics().get("temperature").count())
                .containsExactly(20L, 20L, 20L);
    }

    @Test
    void anotherOwnersAppIsRefusedTheSubscription() throws Exception {
        hub.provision("e2e-private", "alice");
        final MqttAsyncClient bob = Clients.appV5(hub, AppTokens.mint(Hub.JWT_SECRET, "bob", Duration.ofHours(1)));
        try {
            assertThat(subscribeReasonCode(bob, Topics.aggregatesFilter("e2e-private"))).isEqualTo(0x87);
            assertThat(subscribeReasonCode(bob, "aggregates/#")).isEqualTo(0x87);
        } finally {
            Clients.closeQuietly(bob);
        }
    }

    @Test
    void wrongTokenIsRefused() throws Exception {
        hub.provision("e2e-locked", "alice");

        assertThatThrownBy(() -> Clients.deviceV5(hub, "e2e-locked", "not-the-token"))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        assertThatThrownBy(() -> Clients.deviceV3(hub, "e2e-locked", "not-the-token"))
                .isInstanceOfSatisfying(org.eclipse.paho.client.mqttv3.MqttException.class,
                        e -> assertThat(e.getReasonCode())
                                .isEqualTo((int) org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_FAILED_AUTHENTICATION));
    }

    @Test
    void publishToAnotherDevicesTopicIsRefusedAndNothingIsStored() throws Exception {
        final String token = hub.provision("e2e-intruder", "mallory");
        hub.provision("e2e-victim", "alice");
        final long ts = System.currentTimeMillis() - 30_000;
        final MqttAsyncClient intruder = Clients.deviceV5(hub, "e2e-intruder", token);
        try {
            final IMqttToken refused = intruder.publish(Topics.telemetry("e2e-victim"), reading(ts, 99, 1), 1, false);
            refused.waitForCompletion(10_000);
            assertThat(refused.getReasonCodes()).containsExactly(0x87);
            assertThat(refused.getResponseProperties().getReasonString()).isNotBlank();
        } finally {
            Clients.closeQuietly(intruder);
        }
        // HiveMQ also disconnects an MQTT 5 client after a refused publish. A valid publish after the refused one,
        // on a new connection: once it is stored, the refused one would have been too.
        final MqttAsyncClient again = Clients.deviceV5(hub, "e2e-intruder", token);
        try {
            again.publish(Topics.telemetry("e2e-intruder"), reading(ts, 1, 1), 1, false).waitForCompletion(10_000);
        } finally {
            Clients.closeQuietly(again);
        }

        await().atMost(STORED_WITHIN).until(() -> rows("e2e-intruder").size() == 1);
        assertThat(rows("e2e-victim")).isEmpty();
        assertThat(streamEntriesOf("e2e-victim")).isZero();
    }

    @Test
    void malformedPayloadIsRefusedWithAReasonAndNothingIsStored() throws Exception {
        final String token = hub.provision("e2e-sloppy", "alice");
        final long ts = System.currentTimeMillis() - 30_000;
        final MqttAsyncClient device = Clients.deviceV5(hub, "e2e-sloppy", token);
        try {
            final IMqttToken refused = device.publish(Topics.telemetry("e2e-sloppy"),
                    new MqttMessage("{\"temperature\": \"hot\"}".getBytes(StandardCharsets.UTF_8), 1, false, null));
            refused.waitForCompletion(10_000);
            assertThat(refused.getReasonCodes()).containsExactly(0x99);
            assertThat(refused.getResponseProperties().getReasonString()).contains("temperature");

            device.publish(Topics.telemetry("e2e-sloppy"), reading(ts, 1, 1), 1, false).waitForCompletion(10_000);
        } finally {
            Clients.closeQuietly(device);
        }

        await().atMost(STORED_WITHIN).until(() -> rows("e2e-sloppy").size() == 1);
        assertThat(streamEntriesOf("e2e-sloppy")).isEqualTo(1);
    }

    private static byte[] reading(final long ts, final double temperature, final int humidity) {
        return ("{\"ts\":" + ts + ",\"temperature\":" + temperature + ",\"humidity\":" + humidity + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void assertStoredExactly(final String device, final long base, final int count) {
        await("all readings of " + device + " in InfluxDB").atMost(STORED_WITHIN)
                .until(() -> rows(device).size() == count);
        final List<Map<String, Object>> rows = rows(device);
        for (int i = 0; i < count; i++) {
            final Map<String, Object> row = rows.get(i);
            assertThat(((Number) row.get("time")).longValue()).isEqualTo(base + i * 10L);
            assertThat(((Number) row.get("temperature")).doubleValue()).isEqualTo(20 + i * 0.25);
            assertThat(((Number) row.get("humidity")).doubleValue()).isEqualTo(i);
        }
    }

    /** Recomputes the window from the raw points, independently of how the bridge computed it. */
    private static void assertMatchesRawPoints(final Aggregate aggregate) {
        final List<Map<String, Object>> raw = hub.influx.rows(Hub.DB, "SELECT temperature, humidity FROM telemetry"
                + " WHERE device = '" + aggregate.device() + "' AND time >= " + aggregate.start() + "ms AND time < "
                + aggregate.end() + "ms");
        assertThat(raw).isNotEmpty();
        for (final String metric : List.of("temperature", "humidity")) {
            final List<Double> values = new ArrayList<>();
            raw.forEach(row -> values.add(((Number) row.get(metric)).doubleValue()));
            final MetricSummary summary = aggregate.metrics().get(metric);
            final double sum = values.stream().mapToDouble(Double::doubleValue).sum();
            assertThat(summary.count()).as(metric + " count").isEqualTo(values.size());
            assertThat(summary.sum()).as(metric + " sum").isCloseTo(sum, within(1e-9));
            assertThat(summary.min()).isEqualTo(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            assertThat(summary.max()).isEqualTo(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            assertThat(summary.mean()).isCloseTo(sum / values.size(), within(1e-9));
            assertThat(summary.last()).isEqualTo(values.get(values.size() - 1));
        }
    }

    private static List<Map<String, Object>> rows(final String device) {
        return hub.influx.rows(Hub.DB, "SELECT * FROM telemetry WHERE device = '" + device + "'");
    }

    private static long streamEntriesOf(final String device) {
        final String stream = new StreamLayout(4).streamOf(device);
        return redis.xrange(stream, "-", "+").stream()
                .filter(e -> device.equals(e.getFields().get("d")))
                .count();
    }

    private static List<Aggregate> aggregates(final MqttInbox inbox) throws java.io.IOException {
        final List<Aggregate> aggregates = new ArrayList<>();
        for (final MqttInbox.Received received : inbox.received()) {
            aggregates.add(Aggregate.fromJson(received.message().getPayload()));
        }
        return aggregates;
    }

    private static int subscribeReasonCode(final MqttAsyncClient app, final String filter) throws MqttException {
        final IMqttToken token = app.subscribe(new MqttSubscription(filter, 1));
        token.waitForCompletion(10_000);
        return token.getReasonCodes()[0];
    }
}
