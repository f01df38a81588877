package io.pulsehub.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.bridge.MosquittoBroker;
import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.testsupport.MqttInbox;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/devices/{id}/commands/{name}} over real HTTP, published through the bridge's own MQTT connection
 * to a real broker and received by a real MQTT subscriber.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer " + BridgeApp.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** A message as the subscriber got it. */
    record Received(String topic, String payload, int qos, boolean retained) {
    }

    private static BridgeApp.Servers servers;
    private static MosquittoBroker broker;
    private static BridgeApp app;
    private static MqttClient device;
    private static final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws MqttException {
        servers = BridgeApp.Servers.start();
        broker = MosquittoBroker.start();
        // The real aggregate publisher too: /health's mqtt component then shows the bridge's one MQTT connection.
        final Map<String, Object> settings = servers.settings();
        settings.put("hub.mqtt-url", broker.url());
        app = BridgeApp.start(settings);
        new DeviceRegistry(servers.jedis()).provision("cmd-1", "alice");
        device = subscriber("devices/cmd-1/commands/#");
        await().atMost(PATIENCE).until(CommandsIT::mqttUp);
    }

    @AfterAll
    static void stop() throws MqttException {
        if (device != null && device.isConnected()) {
            device.disconnect();
        }
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    /** Retain-as-published, so that the retain flag shows what the bridge sent rather than a live delivery's 0. */
    private static MqttClient subscriber(final String filter) throws MqttException {
        final MqttClient client = new MqttClient(broker.url(), "test-device-cmd-1", new MemoryPersistence());
        client.setCallback(new MqttInbox((topic, message) -> received.add(new Received(topic,
                new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(), message.isRetained()))));
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        final MqttSubscription subscription = new MqttSubscription(filter, 1);
        subscription.setRetainAsPublished(true);
        client.subscribe(new MqttSubscription[] {subscription});
        return client;
    }

    private static boolean mqttUp() {
        return "UP".equals(json(app.get("/health")).path("components").path("mqtt").path("status").asText());
    }

    private static HttpResponse<String> command(final String path, final String body) {
        return app.send(HttpRequest.newBuilder(app.uri(path))
                .header("Authorization", BEARER)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(final HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String error,
                                    final String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        final JsonNode body = json(response);
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        assertThat(body.get("field").isNull() ? null : body.get("field").asText()).as(response.body())
                .isEqualTo(field);
        assertThat(body.path("message").asText()).isNotBlank();
    }

    @Test
    @Order(1)
    void publishesTheBodyExactlyWithQos1NotRetainedToTheDevicesCommandTopic() {
        final String body = "{\"interval\": 10,\n \"unit\":\"s\", \"tags\":[1,2.50,\"é\"]}";

        final HttpResponse<String> response = command("/api/devices/cmd-1/commands/set-interval", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        final JsonNode accepted = json(response);
        assertThat(accepted.path("device").asText()).isEqualTo("cmd-1");
        assertThat(accepted.path("command").asText()).isEqualTo("set-interval");
        assertThat(accepted.path("topic").asText()).isEqualTo("devices/cmd-1/commands/set-interval");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(received).containsExactly(
                new Received("devices/cmd-1/commands/set-interval", body, 1, false)));

        // Any JSON value is a command body, not only objects.
        assertThat(command("/api/devices/cmd-1/commands/reboot", "true").statusCode()).isEqualTo(202);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(received).hasSize(2).last().isEqualTo(
                new Received("devices/cmd-1/commands/reboot", "true", 1, false)));
    }

    @Test
    @Order(2)
    void refusesBadRequestsNamingTheFieldAndSendsNothing() {
        final int before = received.size();

        assertError(command("/api/devices/nobody/commands/reboot", "{}"), 404, "device_not_found", "id");
        assertError(command("/api/devices/bad%2Bid/commands/reboot", "{}"), 400, "invalid_field", "id");
        assertError(command("/api/devices/cmd-1/commands/re.boot", "{}"), 400, "invalid_field", "name");
        assertError(command("/api/devices/cmd-1/commands/" + "x".repeat(65), "{}"), 400, "invalid_field", "name");
        assertError(command("/api/devices/cmd-1/commands/%2B", "{}"), 400, "invalid_field", "name");
        assertError(command("/api/devices/cmd-1/commands/reboot", null), 400, "missing_body", null);
        assertError(command("/api/devices/cmd-1/commands/reboot", "{\"a\":"), 400, "malformed_json", null);
        assertError(command("/api/devices/cmd-1/commands/reboot", "{} {}"), 400, "malformed_json", null);
        assertError(command("/api/devices/cmd-1/commands/reboot", "{\"a\":1,\"a\":2}"), 400, "malformed_json", null);
        final HttpResponse<String> anonymous = app.send(HttpRequest.newBuilder(
                app.uri("/api/devices/cmd-1/commands/reboot")).POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertError(anonymous, 401, "unauthorized", null);

        // A last, valid command arrives alone: none of the refused ones was published before it.
        assertThat(command("/api/devices/cmd-1/commands/ping", "1").statusCode()).isEqualTo(202);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(received.subList(before, received.size()))
                .extracting(Received::topic).containsExactly("devices/cmd-1/commands/ping"));
    }

    @Test
    @Order(3)
    void answers503WhenTheBrokerIsDown() {
        broker.stop();
        await().atMost(PATIENCE).until(() -> !mqttUp());

        assertError(command("/api/devices/cmd-1/commands/reboot", "{}"), 503, "mqtt_unavailable", null);
    }
}
