package io.pulsehub.extension;

import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.Presence;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.Revocations;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence published by the hub, and revocation: after the bridge rotates a token or deletes a device and says so
 * on {@link Revocations#CHANNEL}, the connected device is gone within a second and its old token lets nobody in.
 */
class DeviceSessionIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The promise of the revocation channel. */
    private static final Duration REVOKED_WITHIN = Duration.ofSeconds(1);
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;

    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        hub = EmbeddedHub.withEmbeddedExtension(
                "<login-free-failures-per-address>1000</login-free-failures-per-address>"
                        + "<login-block-after-failures-per-address>0</login-block-after-failures-per-address>");
        awaitRevocationSubscriber();
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private static MqttAsyncClient app(final String owner) throws Exception {
        return Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), owner,
                AppTokens.mint(EmbeddedHub.JWT_SECRET, owner, Duration.ofMinutes(5)));
    }

    private static MqttAsyncClient device(final ProvisionedDevice device) throws Exception {
        return Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
    }

    private static long revocationSubscribers() {
        try (RedisClient redis = hub.client()) {
            final List<?> reply = (List<?>) redis.sendCommand(Protocol.Command.PUBSUB, "NUMSUB", Revocations.CHANNEL);
            return (Long) reply.get(1);
        }
    }

    private static void awaitRevocationSubscriber() {
        await("extension subscribed to " + Revocations.CHANNEL).atMost(WAIT)
                .until(() -> revocationSubscribers() == 1);
    }

    private static void publishRevocation(final String deviceId) {
        try (RedisClient redis = hub.client()) {
            assertThat(redis.publish(Revocations.CHANNEL, deviceId)).isEqualTo(1);
        }
    }

    @Test
    void presenceIsOnlineWhileTheDeviceIsConnectedAndOfflineAfterwardsRetained() throws Exception {
        final ProvisionedDevice device = hub.provision("presence", "paula");
        final String presence = Topics.presence(device.id());
        final MqttAsyncClient app = app("paula");
        try {
            final List<String> received = Mqtt.collect(app);
            assertThat(Mqtt.subscribe(app, presence).code()).isEqualTo(1);

            final MqttAsyncClient deviceClient = device(device);
            await().atMost(WAIT).until(() -> received.contains(presence + " " + Presence.ONLINE));
            Mqtt.disconnect(deviceClient);
            await().atMost(WAIT).until(() -> received.contains(presence + " " + Presence.OFFLINE));

            assertThat(received).containsExactly(presence + " " + Presence.ONLINE, presence + " " + Presence.OFFLINE);
        } finally {
            Mqtt.disconnect(app);
        }
        // Retained: an app that subscribes later learns the state at once.
        final MqttAsyncClient late = app("paula");
        try {
            final List<String> received = Mqtt.collect(late);
            assertThat(Mqtt.subscribe(late, presence).code()).isEqualTo(1);
            await().atMost(WAIT).until(() -> received.contains(presence + " " + Presence.OFFLINE));
        } finally {
            Mqtt.disconnect(late);
        }
    }

    @Test
    void lostConnectionEndsPresenceToo() throws Exception {
        final ProvisionedDevice device = hub.provision("lost", "paula");
        final String presence = Topics.presence(device.id());
        final MqttAsyncClient app = app("paula");
        try {
            final List<String> received = Mqtt.collect(app);
            assertThat(Mqtt.subscribe(app, presence).code()).isEqualTo(1);
            final MqttAsyncClient deviceClient = device(device);
            await().atMost(WAIT).until(() -> received.contains(presence + " " + Presence.ONLINE));

            // No DISCONNECT packet: the socket just closes, as when a device loses power.
            deviceClient.disconnectForcibly(0, 0, false);
            deviceClient.close(true);

            await().atMost(WAIT).until(() -> received.contains(presence + " " + Presence.OFFLINE));
        } finally {
            Mqtt.disconnect(app);
        }
    }

    @Test
    void reconnectThatTakesOverTheSessionNeverShowsTheDeviceOffline() throws Exception {
        final ProvisionedDevice device = hub.provision("takeover", "paula");
        final String presence = Topics.presence(device.id());
        final MqttAsyncClient app = app("paula");
        try {
            final List<String> received = Mqtt.collect(app);
            assertThat(Mqtt.subscribe(app, presence).code()).isEqualTo(1);
            final MqttAsyncClient first = device(device);
            final Mqtt.Watch firstWatch = Mqtt.watch(first);
            await().atMost(WAIT).until(() -> received.size() == 1);

            final MqttAsyncClient second = device(device);
            await().atMost(WAIT).until(() -> !firstWatch.disconnects().isEmpty() && received.size() == 2);
            Mqtt.disconnect(second);
            await().atMost(WAIT).until(() -> received.contains(presence + " " + Presence.OFFLINE));

            // The replaced connection's end is not the device's end.
            assertThat(received).containsExactly(presence + " " + Presence.ONLINE,
                    presence + " " + Presence.ONLINE, presence + " " + Presence.OFFLINE);
            first.close(true);
        } finally {
            Mqtt.disconnect(app);
        }
    }

    @Test
    void rotatedTokenDisconnectsTheDeviceWithinASecondAndOnlyTheNewTokenLogsIn() throws Exception {
        final ProvisionedDevice device = hub.provision("rotated", "quinn");
        final MqttAsyncClient connected = device(device);
        final Mqtt.Watch watch = Mqtt.watch(connected);
        final ProvisionedDevice rotated;
        try (RedisClient redis = hub.client()) {
            rotated = new DeviceRegistry(redis).rotateToken(device.id()).orElseThrow();
        }

        publishRevocation(device.id());

        await().atMost(REVOKED_WITHIN).until(() -> !connected.isConnected());
        assertThat(watch.disconnects()).extracting(Mqtt.Disconnect::code).containsExactly(NOT_AUTHORIZED);
        assertThat(watch.disconnects()).extracting(Mqtt.Disconnect::reason)
                .containsExactly("device credentials were revoked");
        connected.close(true);
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        Mqtt.disconnect(device(rotated));
    }

    @Test
    void deviceAlreadyBackWithItsNewTokenIsNotDisconnectedByTheRevocation() throws Exception {
        final ProvisionedDevice device = hub.provision("quick", "quinn");
        final ProvisionedDevice rotated;
        try (RedisClient redis = hub.client()) {
            rotated = new DeviceRegistry(redis).rotateToken(device.id()).orElseThrow();
        }
        final MqttAsyncClient fresh = device(rotated);
        try {
            publishRevocation(device.id());

            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(fresh::isConnected);
        } finally {
            Mqtt.disconnect(fresh);
        }
    }

    @Test
    void deletedDeviceIsDisconnectedWithinASecondAndAppsLoseItsSubscriptions() throws Exception {
        final ProvisionedDevice device = hub.provision("deleted", "rosa");
        final String telemetry = Topics.telemetry(device.id());
        final MqttAsyncClient formerOwner = app("rosa");
        final MqttAsyncClient connected = device(device);
        final Mqtt.Watch watch = Mqtt.watch(connected);
        try {
            final List<String> formerOwnerReceived = Mqtt.collect(formerOwner);
            assertThat(Mqtt.subscribe(formerOwner, telemetry).code()).isEqualTo(1);
            try (RedisClient redis = hub.client()) {
                assertThat(new DeviceRegistry(redis).delete(device.id())).isTrue();
            }

            publishRevocation(device.id());

            await().atMost(REVOKED_WITHIN).until(() -> !connected.isConnected());
            assertThat(watch.disconnects()).extracting(Mqtt.Disconnect::reason).containsExactly("device was deleted");
            connected.close(true);
            assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                    .isEqualTo(BAD_USER_NAME_OR_PASSWORD);

            // The id comes back for another owner: the former owner's app must not see its readings.
            final ProvisionedDevice reborn;
            try (RedisClient redis = hub.client()) {
                reborn = new DeviceRegistry(redis).provision(device.id(), "sven");
            }
            final MqttAsyncClient newOwner = app("sven");
            final MqttAsyncClient rebornClient = device(reborn);
            try {
                final List<String> newOwnerReceived = Mqtt.collect(newOwner);
                assertThat(Mqtt.subscribe(newOwner, telemetry).code()).isEqualTo(1);
                assertThat(Mqtt.publish(rebornClient, telemetry, "{\"x\":1}").code()).isZero();
                await().atMost(WAIT).until(() -> newOwnerReceived.contains(telemetry + " {\"x\":1}"));
            } finally {
                Mqtt.disconnect(rebornClient);
                Mqtt.disconnect(newOwner);
            }
            assertThat(formerOwnerReceived).noneMatch(message -> message.startsWith(telemetry));
        } finally {
            Mqtt.disconnect(formerOwner);
        }
    }

    @Test
    void revocationMissedWhileUnsubscribedIsCaughtWhenTheSubscriptionReturns() throws Exception {
        final ProvisionedDevice device = hub.provision("missed", "tara");
        final MqttAsyncClient connected = device(device);
        try (RedisClient redis = hub.client()) {
            new DeviceRegistry(redis).rotateToken(device.id()).orElseThrow();
            // The bridge's message is lost with the extension's subscription.
            redis.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
        }

        await().atMost(WAIT).until(() -> !connected.isConnected());
        connected.close(true);
        awaitRevocationSubscriber();
    }

    @Test
    void revocationsWorkAgainAfterARedisOutage() throws Exception {
        hub.redis().kill();
        hub.redis().restart();
        awaitRevocationSubscriber();
        final ProvisionedDevice device = hub.provision("after-outage", "uma");
        final MqttAsyncClient connected = device(device);
        try (RedisClient redis = hub.client()) {
            new DeviceRegistry(redis).rotateToken(device.id()).orElseThrow();
        }

        publishRevocation(device.id());

        await().atMost(REVOKED_WITHIN).until(() -> !connected.isConnected());
        connected.close(true);
    }
}
