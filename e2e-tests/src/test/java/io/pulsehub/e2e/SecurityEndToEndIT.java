package io.pulsehub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.contract.Presence;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The security features that need the bridge and the broker together, as separate processes: a token rotated or a
 * device deleted over the HTTP API cuts the device's connection within a second and its old token lets nobody in;
 * commands from a backend reach the device through the bridge's service identity; presence reaches the owner's app.
 */
class SecurityEndToEndIT {

    private static final Duration REVOKED_WITHIN = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Hub hub;

    @BeforeAll
    static void startHub() throws Exception {
        hub = Hub.start("1m");
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    /** Messages and disconnects one client saw. */
    private static final class Watch implements MqttCallback {

        final List<String> received = new CopyOnWriteArrayList<>();
        final List<MqttDisconnectResponse> disconnects = new CopyOnWriteArrayList<>();

        static Watch on(final MqttAsyncClient client) {
            final Watch watch = new Watch();
            client.setCallback(watch);
            return watch;
        }

        @Override
        public void disconnected(final MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(final MqttException exception) {
        }

        @Override
        public void messageArrived(final String topic, final MqttMessage message) {
            received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(final IMqttToken token) {
        }

        @Override
        public void connectComplete(final boolean reconnect, final String serverUri) {
        }

        @Override
        public void authPacketArrived(final int reasonCode, final MqttProperties properties) {
        }
    }

    private static HttpResponse<String> admin(final String method, final String path, final String body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(hub.http(path))
                        .timeout(Duration.ofSeconds(15))
                        .header("Authorization", "Bearer " + Hub.ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertLoginRefused(final String deviceId, final String token) {
        assertThatThrownBy(() -> Clients.deviceV5(hub, deviceId, token))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void tokenRotatedOverHttpCutsTheConnectedDeviceWithinASecondAndOnlyTheNewTokenWorks() throws Exception {
        final String oldToken = hub.provision("sec-rotated", "alice");
        final MqttAsyncClient device = Clients.deviceV5(hub, "sec-rotated", oldToken);
        final Watch watch = Watch.on(device);

        final HttpResponse<String> rotated = admin("POST", "/api/devices/sec-rotated/token", null);

        assertThat(rotated.statusCode()).isEqualTo(200);
        await().atMost(REVOKED_WITHIN).until(() -> !device.isConnected());
        assertThat(watch.disconnects).extracting(MqttDisconnectResponse::getReturnCode).contains(NOT_AUTHORIZED);
        device.close(true);
        assertLoginRefused("sec-rotated", oldToken);
        final String newToken = JSON.readTree(rotated.body()).path("token").asText();
        Clients.closeQuietly(Clients.deviceV5(hub, "sec-rotated", newToken));
    }

    @Test
    void deviceDeletedOverHttpIsCutWithinASecondAndItsTokenLetsNobodyIn() throws Exception {
        final String token = hub.provision("sec-deleted", "alice");
        final MqttAsyncClient device = Clients.deviceV5(hub, "sec-deleted", token);

        assertThat(admin("DELETE", "/api/devices/sec-deleted", null).statusCode()).isEqualTo(204);

        await().atMost(REVOKED_WITHIN).until(() -> !device.isConnected());
        device.close(true);
        assertLoginRefused("sec-deleted", token);
    }

    @Test
    void backendCommandReachesTheDeviceThroughTheBridgesServiceIdentity() throws Exception {
        final MqttAsyncClient device = Clients.deviceV5(hub, "sec-commanded", hub.provision("sec-commanded", "bob"));
        try {
            final Watch watch = Watch.on(device);
            final IMqttToken subscribed = device.subscribe(Topics.commandsFilter("sec-commanded"), 1);
            subscribed.waitForCompletion(10_000);
            assertThat(subscribed.getReasonCodes()).containsExactly(1);

            final HttpResponse<String> sent = admin("POST", "/api/devices/sec-commanded/commands/reboot",
                    "{\"delay\":5}");

            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            await().atMost(WAIT).until(() -> watch.received.stream()
                    .anyMatch(message -> message.startsWith(Topics.command("sec-commanded", "reboot") + " ")));
        } finally {
            Clients.closeQuietly(device);
        }
    }

    @Test
    void offlineDeviceWithAPersistentSessionGetsItsCommandsWhenItReconnects() throws Exception {
        final String token = hub.provision("sec-sleeper", "bob");
        final MqttAsyncClient first = persistentDevice("sec-sleeper", token, new Watch());
        final IMqttToken subscribed = first.subscribe(Topics.commandsFilter("sec-sleeper"), 1);
        subscribed.waitForCompletion(10_000);
        assertThat(subscribed.getReasonCodes()).containsExactly(1);
        Clients.closeQuietly(first);

        // One command from a backend, one from the owner's app, while the device is away.
        assertThat(admin("POST", "/api/devices/sec-sleeper/commands/reboot", "{\"delay\":5}").statusCode())
                .isEqualTo(202);
        final MqttAsyncClient app = Clients.appV5(hub, AppTokens.mint(Hub.JWT_SECRET, "bob", Duration.ofHours(1)));
        try {
            final IMqttToken sent = app.publish(Topics.command("sec-sleeper", "blink"),
                    "{\"times\":3}".getBytes(StandardCharsets.UTF_8), 1, false);
            sent.waitForCompletion(10_000);
            assertThat(sent.getReasonCodes()[0]).isLessThan(0x80);
        } finally {
            Clients.closeQuietly(app);
        }

        final Watch watch = new Watch();
        final MqttAsyncClient back = persistentDevice("sec-sleeper", token, watch);
        try {
            await().atMost(WAIT).until(() -> watch.received.contains(
                    Topics.command("sec-sleeper", "reboot") + " {\"delay\":5}")
                    && watch.received.contains(Topics.command("sec-sleeper", "blink") + " {\"times\":3}"));
        } finally {
            Clients.closeQuietly(back);
        }
    }

    /** A device that keeps its session for an hour, with the callback set before CONNECT so queued messages count. */
    private static MqttAsyncClient persistentDevice(final String deviceId, final String token, final Watch watch)
            throws MqttException {
        final MqttAsyncClient client = new MqttAsyncClient(hub.mqttUrl(), deviceId, new MemoryPersistence());
        client.setCallback(watch);
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(deviceId);
        options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(15_000);
        return client;
    }

    @Test
    void ownersAppSeesItsDeviceComeAndGo() throws Exception {
        final String token = hub.provision("sec-presence", "carol");
        final MqttAsyncClient app = Clients.appV5(hub, AppTokens.mint(Hub.JWT_SECRET, "carol", Duration.ofHours(1)));
        try {
            final Watch watch = Watch.on(app);
            final IMqttToken subscribed = app.subscribe(Topics.presence("sec-presence"), 1);
            subscribed.waitForCompletion(10_000);
            assertThat(subscribed.getReasonCodes()).containsExactly(1);

            final MqttAsyncClient device = Clients.deviceV5(hub, "sec-presence", token);
            await().atMost(WAIT).until(() -> watch.received.contains(
                    Topics.presence("sec-presence") + " " + Presence.ONLINE));
            Clients.closeQuietly(device);
            await().atMost(WAIT).until(() -> watch.received.contains(
                    Topics.presence("sec-presence") + " " + Presence.OFFLINE));
        } finally {
            Clients.closeQuietly(app);
        }
    }

    @Test
    void provisioningAnswerIsTheOnlyPlaceTheTokenAppears() throws Exception {
        final String token = hub.provision("sec-secret", "dave");

        final HttpResponse<String> found = admin("GET", "/api/devices/sec-secret", null);
        final JsonNode device = JSON.readTree(found.body());

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(device.has("token")).isFalse();
        assertThat(found.body()).doesNotContain(token).doesNotContain(DeviceTokens.sha256Hex(token));
    }
}
