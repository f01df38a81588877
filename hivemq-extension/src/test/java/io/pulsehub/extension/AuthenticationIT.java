package io.pulsehub.extension;

import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.ServiceIdentity;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Who may connect, and what apps and the bridge may subscribe to and publish. */
class AuthenticationIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** MQTT 5 CONNACK / SUBACK / PUBACK reason codes. */
    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;
    /** MQTT 3.1.1 CONNACK return codes. */
    private static final int V3_IDENTIFIER_REJECTED = 2;
    private static final int V3_BAD_USER_NAME_OR_PASSWORD = 4;
    private static final int V3_NOT_AUTHORIZED = 5;
    private static final int V3_SUBSCRIPTION_FAILURE = 0x80;

    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        // Every refusal here comes from 127.0.0.1; throttling has its own test (LoginThrottleIT).
        hub = EmbeddedHub.withEmbeddedExtension(
                "<login-free-failures-per-address>1000</login-free-failures-per-address>"
                        + "<login-block-after-failures-per-address>0</login-block-after-failures-per-address>");
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private static String appToken(final String owner) {
        return AppTokens.mint(EmbeddedHub.JWT_SECRET, owner, Duration.ofMinutes(5));
    }

    @Test
    void deviceWithItsTokenConnectsOverBothProtocolVersions() throws Exception {
        final ProvisionedDevice device = hub.provision("ok", "alice");

        Mqtt.disconnect(Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token()));
        Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token()).close();
    }

    @Test
    void wrongTokenIsRefusedAsBadUserNameOrPassword() throws Exception {
        final ProvisionedDevice device = hub.provision("wrong", "alice");

        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), DeviceTokens.generate()))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), device.id(), device.id(), DeviceTokens.generate()))
                .isEqualTo(V3_BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void unknownDeviceGetsTheSameAnswerAsAWrongToken() throws Exception {
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), "nobody", "nobody", DeviceTokens.generate()))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), "nobody", "nobody", DeviceTokens.generate()))
                .isEqualTo(V3_BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void clientIdOtherThanTheDeviceIdIsRefused() throws Exception {
        final ProvisionedDevice device = hub.provision("mismatch", "alice");

        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), "not-" + device.id(), device.id(), device.token()))
                .isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), "not-" + device.id(), device.id(), device.token()))
                .isEqualTo(V3_IDENTIFIER_REJECTED);
    }

    @Test
    void disabledDeviceIsNotAuthorized() throws Exception {
        final ProvisionedDevice device = hub.provision("disabled", "alice");
        try (RedisClient redis = hub.client()) {
            redis.hset(DeviceRegistry.deviceKey(device.id()), "enabled", "0");
        }

        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                .isEqualTo(NOT_AUTHORIZED);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                .isEqualTo(V3_NOT_AUTHORIZED);
    }

    @Test
    void loginWithoutPasswordIsRefused() throws Exception {
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), "anon", null, null)).isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), "anon", "anon", null)).isEqualTo(V3_BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void ownersAppMaySubscribeToTheAggregatesOfItsDeviceAndReceivesThem() throws Exception {
        final ProvisionedDevice device = hub.provision("agg", "dora");
        final MqttAsyncClient app = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "dora", appToken("dora"));
        final MqttAsyncClient bridge = Mqtt.v5(hub.mqttUrl(), "service-bridge-agg",
                ServiceIdentity.BRIDGE_USERNAME, EmbeddedHub.SERVICE_TOKEN);
        try {
            final List<String> received = Mqtt.collect(app);
            assertThat(Mqtt.subscribe(app, Topics.aggregatesFilter(device.id())).code()).isEqualTo(1);

            assertThat(Mqtt.publish(bridge, Topics.aggregate(device.id(), "1m"), "{\"window\":\"1m\"}").code())
                    .isZero();

            await().atMost(WAIT).until(() -> received.contains(
                    Topics.aggregate(device.id(), "1m") + " {\"window\":\"1m\"}"));
        } finally {
            Mqtt.disconnect(bridge);
            Mqtt.disconnect(app);
        }
    }

    @Test
    void anotherOwnersAppIsRefusedTheSubscription() throws Exception {
        final ProvisionedDevice device = hub.provision("private", "erin");
        final MqttAsyncClient v5 = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "mallory", appToken("mallory"));
        final Mqtt.V3 v3 = Mqtt.v3(hub.mqttUrl(), Mqtt.appClientId(), "mallory", appToken("mallory"));
        try {
            final Mqtt.Answer refused = Mqtt.subscribe(v5, Topics.aggregatesFilter(device.id()));
            assertThat(refused.code()).isEqualTo(NOT_AUTHORIZED);
            assertThat(refused.reason()).contains("not authorized for device '" + device.id() + "'");
            // A device that does not exist gets exactly the same answer.
            assertThat(Mqtt.subscribe(v5, Topics.aggregatesFilter("no-such-device")).reason())
                    .contains("not authorized for device 'no-such-device'");

            final IMqttToken token = v3.client.subscribe(Topics.telemetry(device.id()), 1);
            token.waitForCompletion(Mqtt.TIMEOUT_MILLIS);
            assertThat(token.getGrantedQos()).containsExactly(V3_SUBSCRIPTION_FAILURE);
        } finally {
            Mqtt.disconnect(v5);
            v3.close();
        }
    }

    @Test
    void ownersAppMayCommandItsDeviceButNotAnotherOwnersDevice() throws Exception {
        final ProvisionedDevice device = hub.provision("commanded", "jane");
        final ProvisionedDevice foreign = hub.provision("foreign", "kate");
        final MqttAsyncClient deviceClient = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        final MqttAsyncClient app = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "jane", appToken("jane"));
        try {
            final List<String> commands = Mqtt.collect(deviceClient);
            assertThat(Mqtt.subscribe(deviceClient, Topics.commandsFilter(device.id())).code()).isEqualTo(1);

            assertThat(Mqtt.publish(app, Topics.command(device.id(), "reboot"), "{}").code()).isZero();
            await().atMost(WAIT).until(() -> commands.contains(Topics.command(device.id(), "reboot") + " {}"));

            final Mqtt.Answer refused = Mqtt.publish(app, Topics.command(foreign.id(), "reboot"), "{}");
            assertThat(refused.code()).isEqualTo(NOT_AUTHORIZED);
            assertThat(refused.reason()).isEqualTo("not authorized for device '" + foreign.id() + "'");
        } finally {
            Mqtt.disconnect(app);
            Mqtt.disconnect(deviceClient);
        }
    }

    @Test
    void wildcardSubscriptionsAcrossDevicesAreRefusedNotNarrowed() throws Exception {
        final MqttAsyncClient app = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "frank", appToken("frank"));
        try {
            for (final String filter : List.of("aggregates/#", "+/+/telemetry", "devices/+/telemetry", "#",
                    "$share/group/aggregates/x/#")) {
                final Mqtt.Answer answer = Mqtt.subscribe(app, filter);
                assertThat(answer.code()).as(filter).isEqualTo(NOT_AUTHORIZED);
                assertThat(answer.reason()).as(filter).isNotBlank();
            }
        } finally {
            Mqtt.disconnect(app);
        }
    }

    @Test
    void appWithAnExpiredOrForgedTokenIsRefused() throws Exception {
        // Beyond the default clock skew of 5 s.
        final String expired = AppTokens.mint(EmbeddedHub.JWT_SECRET, "gina", Duration.ofMinutes(-1));
        final String forged = AppTokens.mint("someone-elses-secret-0123456789abcdef", "gina", Duration.ofMinutes(5));

        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), Mqtt.appClientId(), "gina", expired))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), Mqtt.appClientId(), "gina", forged))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void appMayNotTakeTheClientIdOfARegisteredDevice() throws Exception {
        final ProvisionedDevice device = hub.provision("session", "hank");

        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), "hank", appToken("hank")))
                .isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    void serviceLogsInPublishesAggregatesButSubscribesToNothing() throws Exception {
        final ProvisionedDevice device = hub.provision("svc", "ivan");
        final MqttAsyncClient bridge = Mqtt.v5(hub.mqttUrl(), "service-bridge-svc",
                ServiceIdentity.BRIDGE_USERNAME, EmbeddedHub.SERVICE_TOKEN);
        try {
            assertThat(Mqtt.publish(bridge, Topics.aggregate(device.id(), "10s"), "{}").code()).isIn(0, 0x10);
            assertThat(Mqtt.subscribe(bridge, Topics.aggregatesFilter(device.id())).code())
                    .isEqualTo(NOT_AUTHORIZED);
        } finally {
            Mqtt.disconnect(bridge);
        }
    }

    @Test
    void serviceMayNotPublishTelemetry() throws Exception {
        final ProvisionedDevice device = hub.provision("svc-tel", "ivan");
        final MqttAsyncClient bridge = Mqtt.v5(hub.mqttUrl(), "service-bridge-tel",
                ServiceIdentity.BRIDGE_USERNAME, EmbeddedHub.SERVICE_TOKEN);
        try {
            assertThat(Mqtt.publish(bridge, Topics.telemetry(device.id()), "{\"x\":1}").code())
                    .isEqualTo(NOT_AUTHORIZED);
            assertThat(hub.entriesOf(device.id())).isEmpty();
        } finally {
            Mqtt.disconnect(bridge);
        }
    }

    @Test
    void wrongServiceTokenIsRefused() throws Exception {
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), "service-bridge-x", ServiceIdentity.BRIDGE_USERNAME,
                "not-the-service-token")).isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), "service-bridge-y", ServiceIdentity.BRIDGE_USERNAME,
                new String(new byte[]{'x'}, StandardCharsets.UTF_8))).isEqualTo(V3_BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void bridgeMayCommandAnyDevice() throws Exception {
        final ProvisionedDevice device = hub.provision("bridge-cmd", "lena");
        final MqttAsyncClient deviceClient = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        final MqttAsyncClient bridge = Mqtt.v5(hub.mqttUrl(), ServiceIdentity.bridgeClientId("it"), ServiceIdentity.BRIDGE_USERNAME,
                EmbeddedHub.SERVICE_TOKEN);
        try {
            final List<String> commands = Mqtt.collect(deviceClient);
            assertThat(Mqtt.subscribe(deviceClient, Topics.commandsFilter(device.id())).code()).isEqualTo(1);

            assertThat(Mqtt.publish(bridge, Topics.command(device.id(), "calibrate"), "{\"offset\":1}").code())
                    .isZero();

            await().atMost(WAIT).until(() -> commands.contains(
                    Topics.command(device.id(), "calibrate") + " {\"offset\":1}"));
        } finally {
            Mqtt.disconnect(bridge);
            Mqtt.disconnect(deviceClient);
        }
    }

    @Test
    void serviceMayNotForgePresence() throws Exception {
        final ProvisionedDevice device = hub.provision("forged-presence", "lena");
        final MqttAsyncClient bridge = Mqtt.v5(hub.mqttUrl(), ServiceIdentity.bridgeClientId("presence"),
                ServiceIdentity.BRIDGE_USERNAME, EmbeddedHub.SERVICE_TOKEN);
        try {
            final Mqtt.Answer refused = Mqtt.publish(bridge, Topics.presence(device.id()), "online");

            assertThat(refused.code()).isEqualTo(NOT_AUTHORIZED);
            assertThat(refused.reason()).startsWith("the service may publish only to");
        } finally {
            Mqtt.disconnect(bridge);
        }
    }

    @Test
    void appMayPublishNeitherAggregatesNorAlertsOfItsOwnDevice() throws Exception {
        final ProvisionedDevice device = hub.provision("app-forger", "mona");
        for (final String topic : List.of(Topics.aggregate(device.id(), "1m"), "alerts/" + device.id() + "/hot",
                Topics.presence(device.id()))) {
            // A refused publish ends an MQTT 5 connection, so each attempt gets its own.
            final MqttAsyncClient app = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "mona", appToken("mona"));
            try {
                final Mqtt.Answer refused = Mqtt.publish(app, topic, "{}");
                assertThat(refused.code()).as(topic).isEqualTo(NOT_AUTHORIZED);
                assertThat(refused.reason()).as(topic)
                        .isEqualTo("an app may publish only to devices/{id}/commands/{name} of its own devices");
            } finally {
                Mqtt.disconnect(app);
            }
        }
    }

    @Test
    void clientIdsOfTheServiceAreReservedForTheService() throws Exception {
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), ServiceIdentity.bridgeClientId("e2e"), "nina", appToken("nina")))
                .isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), ServiceIdentity.bridgeClientId("e2e"), "nina", appToken("nina")))
                .isEqualTo(V3_IDENTIFIER_REJECTED);
        // The service itself uses such ids.
        Mqtt.disconnect(Mqtt.v5(hub.mqttUrl(), ServiceIdentity.bridgeClientId("e2e"), ServiceIdentity.BRIDGE_USERNAME,
                EmbeddedHub.SERVICE_TOKEN));
    }

    @Test
    void deviceProvisionedWhileTheAppIsConnectedBecomesVisibleAtItsNextSubscribe() throws Exception {
        final String deviceId = "later-" + System.nanoTime();
        final MqttAsyncClient app = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "olga", appToken("olga"));
        try {
            final List<String> received = Mqtt.collect(app);
            assertThat(Mqtt.subscribe(app, Topics.telemetry(deviceId)).code()).isEqualTo(NOT_AUTHORIZED);

            final ProvisionedDevice device;
            try (RedisClient redis = hub.client()) {
                device = new DeviceRegistry(redis).provision(deviceId, "olga");
            }
            // No new login needed: ownership is looked up per subscription.
            assertThat(Mqtt.subscribe(app, Topics.telemetry(deviceId)).code()).isEqualTo(1);

            final MqttAsyncClient deviceClient = Mqtt.v5(hub.mqttUrl(), deviceId, deviceId, device.token());
            try {
                assertThat(Mqtt.publish(deviceClient, Topics.telemetry(deviceId), "{\"t\":1}").code()).isZero();
            } finally {
                Mqtt.disconnect(deviceClient);
            }
            await().atMost(WAIT).until(() -> received.contains(Topics.telemetry(deviceId) + " {\"t\":1}"));
        } finally {
            Mqtt.disconnect(app);
        }
    }
}
