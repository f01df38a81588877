package io.pulsehub.extension;

import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.StreamEntry;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Device readings through the real broker into a real Redis, over MQTT 3.1.1 and 5. */
class TelemetryIngestIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SUCCESS = 0;
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int PAYLOAD_FORMAT_INVALID = 0x99;
    private static final int TOPIC_NAME_INVALID = 0x90;

    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        hub = EmbeddedHub.withEmbeddedExtension("");
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void mqtt5ReadingIsAcknowledgedOnlyAfterItIsStoredExactlyOnce() throws Exception {
        final ProvisionedDevice device = hub.provision("v5", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            final long before = System.currentTimeMillis();
            final Mqtt.Answer answer = Mqtt.publish(client, Topics.telemetry(device.id()),
                    "{\"temperature\":21.5,\"humidity\":40}");
            final long after = System.currentTimeMillis();

            assertThat(answer.code()).isIn(SUCCESS, NO_MATCHING_SUBSCRIBERS);
            // The PUBACK came after the write: no waiting needed to find the entry.
            final List<StreamEntry> entries = hub.entriesOf(device.id());
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).getFields()).containsEntry("d", device.id())
                    .containsEntry("p", "{\"temperature\":21.5,\"humidity\":40}");
            final long brokerMillis = Long.parseLong(entries.get(0).getFields().get("t")) / 1_000_000L;
            assertThat(brokerMillis).isBetween(before, after);
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void mqtt311ReadingsAreStoredOncePerPublishInOrder() throws Exception {
        final ProvisionedDevice device = hub.provision("v3", "alice");
        final Mqtt.V3 client = Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            for (int i = 0; i < 3; i++) {
                final IMqttDeliveryToken token = client.publish(Topics.telemetry(device.id()),
                        "{\"ts\":" + (1_732_330_000_000L + i) + ",\"steps\":" + i + "}", 1);
                token.waitForCompletion(Mqtt.TIMEOUT_MILLIS);
                assertThat(hub.entriesOf(device.id())).hasSize(i + 1);
            }

            assertThat(hub.entriesOf(device.id())).extracting(entry -> entry.getFields().get("p")).containsExactly(
                    "{\"ts\":1732330000000,\"steps\":0}",
                    "{\"ts\":1732330000001,\"steps\":1}",
                    "{\"ts\":1732330000002,\"steps\":2}");
            assertThat(client.connectionLost).isEmpty();
        } finally {
            client.close();
        }
    }

    @Test
    void qos0ReadingsAreStoredToo() throws Exception {
        final ProvisionedDevice device = hub.provision("qos0", "alice");
        final Mqtt.V3 client = Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            client.publish(Topics.telemetry(device.id()), "[{\"a\":1},{\"a\":2}]", 0);

            await().atMost(WAIT).until(() -> hub.entriesOf(device.id()).size() == 1);
            assertThat(hub.entriesOf(device.id()).get(0).getFields()).containsEntry("p", "[{\"a\":1},{\"a\":2}]");
        } finally {
            client.close();
        }
    }

    @Test
    void storedReadingIsDeliveredToTheOwnersApp() throws Exception {
        final ProvisionedDevice device = hub.provision("live", "carol");
        final MqttAsyncClient app = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "carol",
                AppTokens.mint(EmbeddedHub.JWT_SECRET, "carol", Duration.ofMinutes(5)));
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            final List<String> received = Mqtt.collect(app);
            assertThat(Mqtt.subscribe(app, Topics.telemetry(device.id())).code()).isEqualTo(1);

            assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"temperature\":19}").code())
                    .isEqualTo(SUCCESS);

            await().atMost(WAIT).until(() -> received.contains(
                    Topics.telemetry(device.id()) + " {\"temperature\":19}"));
            assertThat(hub.entriesOf(device.id())).hasSize(1);
        } finally {
            Mqtt.disconnect(client);
            Mqtt.disconnect(app);
        }
    }

    @Test
    void malformedPayloadOverMqtt5IsRefusedWithAReasonAndNotStored() throws Exception {
        final ProvisionedDevice device = hub.provision("bad5", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            final Mqtt.Answer notJson = Mqtt.publish(client, Topics.telemetry(device.id()), "{\"temperature\":");
            final Mqtt.Answer notNumeric = Mqtt.publish(client, Topics.telemetry(device.id()),
                    "{\"temperature\":\"warm\"}");

            assertThat(notJson.code()).isEqualTo(PAYLOAD_FORMAT_INVALID);
            assertThat(notJson.reason()).startsWith("payload is not valid JSON");
            assertThat(notNumeric.code()).isEqualTo(PAYLOAD_FORMAT_INVALID);
            assertThat(notNumeric.reason()).isEqualTo("metric 'temperature' must be a number, not a string");
            // The device stays connected and its next valid reading is stored.
            assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"temperature\":20}").code())
                    .isIn(SUCCESS, NO_MATCHING_SUBSCRIBERS);
            assertThat(hub.entriesOf(device.id())).extracting(entry -> entry.getFields().get("p"))
                    .containsExactly("{\"temperature\":20}");
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void reasonQuotingControlCharactersOfThePayloadIsEscapedSoTheClientSurvivesIt() throws Exception {
        final ProvisionedDevice device = hub.provision("ctrl", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            // The parser quotes the unknown token, control characters included; Paho's receiver dies on those.
            final Mqtt.Answer refused = Mqtt.publish(client, Topics.telemetry(device.id()),
                    new byte[]{'b', 'o', 0x18, 0x1c, 0x0a, 'x'});

            assertThat(refused.code()).isEqualTo(PAYLOAD_FORMAT_INVALID);
            assertThat(refused.reason()).contains("'bo\\u0018'").doesNotContain("\u0018");
            assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"after\":1}").code())
                    .isIn(SUCCESS, NO_MATCHING_SUBSCRIBERS);
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void topicWithControlCharactersIsRefusedWithoutBeingQuotedAndTheClientStays() throws Exception {
        final ProvisionedDevice device = hub.provision("ctrl-topic", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            // Paho refuses to send control characters, so a format character (right-to-left override) stands in.
            final Mqtt.Answer refused = Mqtt.publish(client, Topics.telemetry(device.id()) + "\u202e", "{\"a\":1}");

            assertThat(refused.code()).isEqualTo(TOPIC_NAME_INVALID);
            assertThat(refused.reason()).isEqualTo("topic contains control or format characters");
            assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"a\":1}").code())
                    .isIn(SUCCESS, NO_MATCHING_SUBSCRIBERS);
            assertThat(hub.entriesOf(device.id())).hasSize(1);
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void metricNamesTheStoreReservesAreRefusedAndNotStored() throws Exception {
        final ProvisionedDevice device = hub.provision("reserved", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            // "device" would shadow the device tag in every query; InfluxDB refuses a "time" field outright.
            final Mqtt.Answer shadow = Mqtt.publish(client, Topics.telemetry(device.id()), "{\"device\":1}");
            final Mqtt.Answer time = Mqtt.publish(client, Topics.telemetry(device.id()),
                    "[{\"a\":1},{\"time\":1700000000000}]");

            assertThat(shadow.code()).isEqualTo(PAYLOAD_FORMAT_INVALID);
            assertThat(shadow.reason()).isEqualTo("metric name 'device' is reserved (the device tag)");
            assertThat(time.code()).isEqualTo(PAYLOAD_FORMAT_INVALID);
            assertThat(time.reason()).isEqualTo("metric name 'time' is reserved (InfluxDB's time column)");
            assertThat(hub.entriesOf(device.id())).isEmpty();
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void malformedPayloadOverMqtt311IsAcknowledgedAndDroppedNotStored() throws Exception {
        final ProvisionedDevice device = hub.provision("bad3", "alice");
        final Mqtt.V3 client = Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            client.publish(Topics.telemetry(device.id()), "not json", 1).waitForCompletion(Mqtt.TIMEOUT_MILLIS);
            client.publish(Topics.telemetry(device.id()), "{\"ok\":1}", 1).waitForCompletion(Mqtt.TIMEOUT_MILLIS);

            assertThat(client.connectionLost).isEmpty();
            assertThat(hub.entriesOf(device.id())).extracting(entry -> entry.getFields().get("p"))
                    .containsExactly("{\"ok\":1}");
        } finally {
            client.close();
        }
    }

    @Test
    void mqtt5PublishToAnotherDevicesTopicIsNotAuthorizedAndNothingIsStored() throws Exception {
        final ProvisionedDevice device = hub.provision("intruder5", "alice");
        final ProvisionedDevice victim = hub.provision("victim5", "bob");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            final Mqtt.Answer answer = Mqtt.publish(client, Topics.telemetry(victim.id()), "{\"temperature\":99}");

            assertThat(answer.code()).isEqualTo(NOT_AUTHORIZED);
            assertThat(answer.reason()).isEqualTo("a device may publish only to " + Topics.telemetry(device.id()));
            assertThat(hub.entriesOf(victim.id())).isEmpty();
            assertThat(hub.entriesOf(device.id())).isEmpty();
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void mqtt311PublishToAnotherDevicesTopicDisconnectsWithoutStoring() throws Exception {
        final ProvisionedDevice device = hub.provision("intruder3", "alice");
        final ProvisionedDevice victim = hub.provision("victim3", "bob");
        final Mqtt.V3 client = Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            client.publish(Topics.telemetry(victim.id()), "{\"temperature\":99}", 1);

            await().atMost(WAIT).until(() -> !client.connectionLost.isEmpty());
            assertThat(client.acknowledged).isEmpty();
            assertThat(hub.entriesOf(victim.id())).isEmpty();
        } finally {
            client.close();
        }
    }

    @Test
    void deviceMayNotPublishAggregates() throws Exception {
        final ProvisionedDevice device = hub.provision("forger", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            assertThat(Mqtt.publish(client, Topics.aggregate(device.id(), "1m"), "{}").code())
                    .isEqualTo(NOT_AUTHORIZED);
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void deviceSubscribesToItsCommandsButNotToAnotherDevicesCommands() throws Exception {
        final ProvisionedDevice device = hub.provision("cmd", "alice");
        final ProvisionedDevice other = hub.provision("cmd-other", "alice");
        final MqttAsyncClient v5 = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        final Mqtt.V3 v3 = Mqtt.v3(hub.mqttUrl(), other.id(), other.id(), other.token());
        try {
            assertThat(Mqtt.subscribe(v5, Topics.commandsFilter(device.id())).code()).isEqualTo(1);
            final Mqtt.Answer refused = Mqtt.subscribe(v5, Topics.commandsFilter(other.id()));
            assertThat(refused.code()).isEqualTo(NOT_AUTHORIZED);
            assertThat(refused.reason()).contains("a device may subscribe only to "
                    + Topics.commandsFilter(device.id()));

            final IMqttToken own = v3.client.subscribe(Topics.commandsFilter(other.id()), 1);
            own.waitForCompletion(Mqtt.TIMEOUT_MILLIS);
            assertThat(own.getGrantedQos()).containsExactly(1);
            final IMqttToken foreign = v3.client.subscribe(Topics.commandsFilter(device.id()), 1);
            foreign.waitForCompletion(Mqtt.TIMEOUT_MILLIS);
            assertThat(foreign.getGrantedQos()).containsExactly(0x80);
        } finally {
            Mqtt.disconnect(v5);
            v3.close();
        }
    }
}
