package io.pulsehub.extension;

import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-device limits over real MQTT: nothing over a limit is stored, and the broker keeps serving everyone else. */
class LimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int RATE = 2;
    private static final int BURST = 3;
    private static final int MAX_PAYLOAD = 1024;
    private static final int MAX_READINGS = 5;
    private static final int SUCCESS = 0;
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final int PACKET_TOO_LARGE = 0x95;
    private static final int PAYLOAD_FORMAT_INVALID = 0x99;

    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        hub = EmbeddedHub.withEmbeddedExtension("""
                <device-publish-rate>%d</device-publish-rate>
                <device-publish-burst>%d</device-publish-burst>
                <max-payload-bytes>%d</max-payload-bytes>
                <max-readings-per-payload>%d</max-readings-per-payload>"""
                .formatted(RATE, BURST, MAX_PAYLOAD, MAX_READINGS));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private static boolean isStored(final Mqtt.Answer answer) {
        return answer.code() == SUCCESS || answer.code() == NO_MATCHING_SUBSCRIBERS;
    }

    private static MqttAsyncClient device(final ProvisionedDevice device) throws Exception {
        return Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
    }

    private static List<String> stored(final ProvisionedDevice device) {
        return hub.entriesOf(device.id()).stream().map(entry -> entry.getFields().get("p")).toList();
    }

    /** Another device still gets its reading stored: the broker is unharmed. */
    private static void assertBrokerServesOthers() throws Exception {
        final ProvisionedDevice other = hub.provision("bystander", "walt");
        final MqttAsyncClient client = device(other);
        try {
            assertThat(Mqtt.publish(client, Topics.telemetry(other.id()), "{\"ok\":1}").code())
                    .isIn(SUCCESS, NO_MATCHING_SUBSCRIBERS);
            assertThat(stored(other)).containsExactly("{\"ok\":1}");
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void publishesBeyondTheDeviceRateAreRefusedWithQuotaExceededAndNotStored() throws Exception {
        final ProvisionedDevice device = hub.provision("chatty", "walt");
        final MqttAsyncClient client = device(device);
        try {
            for (int i = 0; i < BURST; i++) {
                assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"n\":" + i + "}").code())
                        .isIn(SUCCESS, NO_MATCHING_SUBSCRIBERS);
            }
            final Mqtt.Answer refused = Mqtt.publish(client, Topics.telemetry(device.id()), "{\"n\":99}");

            assertThat(refused.code()).isEqualTo(QUOTA_EXCEEDED);
            assertThat(refused.reason()).isEqualTo("publish rate limit exceeded (2 publishes per second, bursts of 3);"
                    + " slow down");
            assertThat(stored(device)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
            assertThat(client.isConnected()).isTrue();

            // Time refills the bucket.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> isStored(
                    Mqtt.publish(client, Topics.telemetry(device.id()), "{\"n\":3}")));
            assertThat(stored(device)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
            assertThat(hub.counter("io.pulsehub.extension.telemetry.rate-limited")).isPositive();
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void mqtt311DeviceOverItsRateIsDisconnectedWithoutAcknowledgement() throws Exception {
        final ProvisionedDevice device = hub.provision("chatty3", "walt");
        final Mqtt.V3 client = Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            for (int i = 0; i < BURST; i++) {
                client.publish(Topics.telemetry(device.id()), "{\"n\":" + i + "}", 1)
                        .waitForCompletion(Mqtt.TIMEOUT_MILLIS);
            }
            client.publish(Topics.telemetry(device.id()), "{\"n\":99}", 1);

            await().atMost(WAIT).until(() -> !client.connectionLost.isEmpty());
            assertThat(client.acknowledged).hasSize(BURST);
            assertThat(stored(device)).hasSize(BURST);
        } finally {
            client.close();
        }
    }

    @Test
    void payloadOverTheLimitEndsTheConnectionWithPacketTooLargeAndIsNotStored() throws Exception {
        final ProvisionedDevice device = hub.provision("bulky", "walt");
        final MqttAsyncClient client = device(device);
        final Mqtt.Watch watch = Mqtt.watch(client);
        final String padded = "{\"value\":1" + " ".repeat(MAX_PAYLOAD) + "}";

        client.publish(Topics.telemetry(device.id()), padded.getBytes(StandardCharsets.UTF_8), 1, false);

        await().atMost(WAIT).until(() -> !watch.disconnects().isEmpty());
        assertThat(watch.disconnects().get(0).code()).isEqualTo(PACKET_TOO_LARGE);
        assertThat(watch.disconnects().get(0).reason())
                .isEqualTo("payload of " + padded.length() + " bytes exceeds the hub's limit of 1024 bytes");
        client.close(true);
        assertThat(stored(device)).isEmpty();
        assertBrokerServesOthers();
    }

    @Test
    void megabytePayloadIsRefusedTheSameWayOverMqtt311() throws Exception {
        final ProvisionedDevice device = hub.provision("huge3", "walt");
        final Mqtt.V3 client = Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            final byte[] megabyte = new byte[1024 * 1024];
            Arrays.fill(megabyte, (byte) '7');
            client.client.publish(Topics.telemetry(device.id()), megabyte, 1, false);

            await().atMost(WAIT).until(() -> !client.connectionLost.isEmpty());
            assertThat(client.acknowledged).isEmpty();
            assertThat(stored(device)).isEmpty();
        } finally {
            client.close();
        }
        assertBrokerServesOthers();
    }

    @Test
    void arrayWithMoreReadingsThanAllowedIsRefusedAsInvalidAndOneWithExactlyTheLimitIsStored() throws Exception {
        final ProvisionedDevice device = hub.provision("batch", "walt");
        final MqttAsyncClient client = device(device);
        try {
            final Mqtt.Answer refused = Mqtt.publish(client, Topics.telemetry(device.id()), readings(MAX_READINGS + 1));
            final Mqtt.Answer stored = Mqtt.publish(client, Topics.telemetry(device.id()), readings(MAX_READINGS));

            assertThat(refused.code()).isEqualTo(PAYLOAD_FORMAT_INVALID);
            assertThat(refused.reason()).isEqualTo("too many readings in one payload (6); at most 5");
            assertThat(stored.code()).isIn(SUCCESS, NO_MATCHING_SUBSCRIBERS);
            assertThat(stored(device)).containsExactly(readings(MAX_READINGS));
        } finally {
            Mqtt.disconnect(client);
        }
    }

    private static String readings(final int count) {
        final StringJoiner array = new StringJoiner(",", "[", "]");
        for (int i = 0; i < count; i++) {
            array.add("{\"ts\":" + (1_732_330_000_000L + i) + ",\"v\":" + i + "}");
        }
        return array.toString();
    }
}
