package io.pulsehub.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.contract.DeviceRecord;
import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.DeviceTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The device API and /health over real HTTP, with the registry in a real Redis. */
class DeviceApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer " + BridgeApp.ADMIN_TOKEN;

    private static BridgeApp.Servers servers;
    private static BridgeApp app;

    @BeforeAll
    static void start() {
        servers = BridgeApp.Servers.start();
        app = BridgeApp.start(servers.settings());
    }

    @AfterAll
    static void stop() {
        BridgeApp.close(app, servers);
    }

    private static HttpResponse<String> post(final String body, final String authorization) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/api/devices"))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return app.send(request);
    }

    private static HttpResponse<String> call(final String method, final String path, final String authorization) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return app.send(request);
    }

    private static JsonNode json(final HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Every error answer: the status and the JSON body with error code, field (or null) and a message. */
    private static void assertError(final HttpResponse<String> response, final int status, final String error,
                                    final String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        final JsonNode body = json(response);
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        assertThat(body.has("field")).as("field member present: " + response.body()).isTrue();
        assertThat(body.get("field").isNull() ? null : body.get("field").asText()).as(response.body()).isEqualTo(field);
        assertThat(body.path("message").asText()).as(response.body()).isNotBlank();
    }

    @Test
    void provisionsFindsAndDeletesADevice() {
        final HttpResponse<String> created = post("{\"id\":\"api-d1\",\"owner\":\"alice\"}", BEARER);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/api/devices/api-d1");
        final JsonNode provisioned = json(created);
        assertThat(provisioned.path("id").asText()).isEqualTo("api-d1");
        assertThat(provisioned.path("owner").asText()).isEqualTo("alice");
        final String token = provisioned.path("token").asText();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        final DeviceRecord stored = new DeviceRegistry(servers.jedis()).find("api-d1").orElseThrow();
        assertThat(stored.acceptsToken(token)).isTrue();
        assertThat(servers.jedis().hgetAll(DeviceRegistry.deviceKey("api-d1")).values()).doesNotContain(token)
                .contains(DeviceTokens.sha256Hex(token));

        final HttpResponse<String> found = call("GET", "/api/devices/api-d1", BEARER);
        assertThat(found.statusCode()).isEqualTo(200);
        final JsonNode device = json(found);
        assertThat(device.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("id", "owner", "enabled", "createdAt");
        assertThat(device.path("owner").asText()).isEqualTo("alice");
        assertThat(device.path("enabled").asBoolean()).isTrue();
        assertThat(device.path("createdAt").asLong()).isEqualTo(stored.createdAtMillis()).isPositive();

        assertThat(call("DELETE", "/api/devices/api-d1", BEARER).statusCode()).isEqualTo(204);
        assertError(call("GET", "/api/devices/api-d1", BEARER), 404, "device_not_found", "id");
        assertError(call("DELETE", "/api/devices/api-d1", BEARER), 404, "device_not_found", "id");
        assertThat(new DeviceRegistry(servers.jedis()).devicesOf("alice")).doesNotContain("api-d1");
    }

    @Test
    void rotatingTheTokenReplacesItAndRevokesTheOldCredentialsOnEveryBroker() {
        final String oldToken = json(post("{\"id\":\"api-rot\",\"owner\":\"dora\"}", BEARER)).path("token").asText();
        try (RevocationListener revocations = RevocationListener.start(servers.redis().url())) {
            final HttpResponse<String> rotated = call("POST", "/api/devices/api-rot/token", BEARER);

            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            assertThat(rotated.headers().firstValue("Cache-Control")).contains("no-store");
            final JsonNode credentials = json(rotated);
            assertThat(credentials.properties()).extracting(Map.Entry::getKey)
                    .containsExactlyInAnyOrder("id", "owner", "token");
            assertThat(credentials.path("id").asText()).isEqualTo("api-rot");
            assertThat(credentials.path("owner").asText()).isEqualTo("dora");
            final String newToken = credentials.path("token").asText();
            assertThat(newToken).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(oldToken);
            final DeviceRecord stored = new DeviceRegistry(servers.jedis()).find("api-rot").orElseThrow();
            assertThat(stored.acceptsToken(newToken)).isTrue();
            assertThat(stored.acceptsToken(oldToken)).isFalse();
            assertThat(servers.jedis().hgetAll(DeviceRegistry.deviceKey("api-rot")).values()).doesNotContain(newToken);
            revocations.awaitExactly("api-rot");
        }
    }

    @Test
    void deletingADeviceRevokesItsCredentialsEvenOnARetry() {
        assertThat(post("{\"id\":\"api-del\",\"owner\":\"dora\"}", BEARER).statusCode()).isEqualTo(201);
        try (RevocationListener revocations = RevocationListener.start(servers.redis().url())) {
            assertThat(call("DELETE", "/api/devices/api-del", BEARER).statusCode()).isEqualTo(204);
            // A retry of a delete whose revocation failed must still revoke.
            assertError(call("DELETE", "/api/devices/api-del", BEARER), 404, "device_not_found", "id");

            revocations.awaitExactly("api-del", "api-del");
        }
    }

    @Test
    void refusesToRotateWhatCannotBeRotatedAndRevokesNothing() {
        try (RevocationListener revocations = RevocationListener.start(servers.redis().url())) {
            assertError(call("POST", "/api/devices/api-ghost/token", BEARER), 404, "device_not_found", "id");
            assertError(call("POST", "/api/devices/bad%2Bid/token", BEARER), 400, "invalid_field", "id");
            assertError(call("POST", "/api/devices/api-ghost/token", null), 401, "unauthorized", null);
            assertError(call("GET", "/api/devices/api-ghost/token", BEARER), 405, "method_not_allowed", null);

            // The last one is told; none of the refused ones was.
            assertThat(post("{\"id\":\"api-marker\",\"owner\":\"dora\"}", BEARER).statusCode()).isEqualTo(201);
            assertThat(call("POST", "/api/devices/api-marker/token", BEARER).statusCode()).isEqualTo(200);
            revocations.awaitExactly("api-marker");
        }
    }

    @Test
    void refusesADuplicateIdWithConflict() {
        assertThat(post("{\"id\":\"api-dup\",\"owner\":\"bob\"}", BEARER).statusCode()).isEqualTo(201);

        assertError(post("{\"id\":\"api-dup\",\"owner\":\"carol\"}", BEARER), 409, "device_exists", "id");
        assertThat(new DeviceRegistry(servers.jedis()).find("api-dup").orElseThrow().owner()).isEqualTo("bob");
    }

    @Test
    void answersBadInputWithTheFieldAtFault() {
        record Case(String body, String error, String field) {
        }
        for (final Case bad : List.of(
                new Case(null, "missing_body", null),
                new Case("{\"id\":\"x\",", "malformed_json", null),
                new Case("[1,2]", "invalid_body", null),
                new Case("{\"owner\":\"alice\"}", "missing_field", "id"),
                new Case("{\"id\":\"api-x\"}", "missing_field", "owner"),
                new Case("{\"id\":7,\"owner\":\"alice\"}", "invalid_type", "id"),
                new Case("{\"id\":\"api-x\",\"owner\":true}", "invalid_type", "owner"),
                new Case("{\"id\":\"api/x\",\"owner\":\"alice\"}", "invalid_field", "id"),
                new Case("{\"id\":\"api-x\",\"owner\":\"a+b\"}", "invalid_field", "owner"),
                new Case("{\"id\":\"api-x\",\"owner\":\"alice\",\"enabled\":false}", "unknown_field", "enabled"))) {
            assertError(post(bad.body(), BEARER), 400, bad.error(), bad.field());
        }
        assertThat(new DeviceRegistry(servers.jedis()).find("api-x")).isEmpty();
        assertError(call("GET", "/api/devices/bad%2Bid", BEARER), 400, "invalid_field", "id");
    }

    @Test
    void refusesEveryApiCallWithoutTheAdminToken() {
        assertError(post("{\"id\":\"api-anon\",\"owner\":\"alice\"}", null), 401, "unauthorized", null);
        assertError(post("{\"id\":\"api-anon\",\"owner\":\"alice\"}", "Bearer wrong"), 401, "unauthorized", null);
        assertError(post("{\"id\":\"api-anon\",\"owner\":\"alice\"}", "Basic " + BridgeApp.ADMIN_TOKEN), 401,
                "unauthorized", null);
        assertError(post("{\"id\":\"api-anon\",\"owner\":\"alice\"}", "Bearer " + BridgeApp.ADMIN_TOKEN + "x"), 401,
                "unauthorized", null);
        assertError(call("GET", "/api/devices/api-anon", null), 401, "unauthorized", null);
        assertError(call("DELETE", "/api/devices/api-anon", "Bearer"), 401, "unauthorized", null);
        assertError(call("GET", "/api/anything", null), 401, "unauthorized", null);
        assertThat(call("GET", "/api/devices/api-anon", null).headers().firstValue("WWW-Authenticate"))
                .contains("Bearer");
        assertThat(new DeviceRegistry(servers.jedis()).find("api-anon")).isEmpty();
    }

    @Test
    void answersUnknownRoutesAndMethodsInJson() {
        assertError(call("GET", "/api/nothing-here", BEARER), 404, "not_found", null);
        assertError(call("GET", "/nothing-here", null), 404, "not_found", null);
        assertError(call("PUT", "/api/devices/api-d9", BEARER), 405, "method_not_allowed", null);
    }

    @Test
    void healthNamesTheComponentThatIsDown() {
        final HttpResponse<String> response = app.get("/health");

        // No MQTT broker listens in this test.
        assertThat(response.statusCode()).isEqualTo(503);
        final JsonNode health = json(response);
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("components").path("redis").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("stream").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("stream").path("pending").isNumber()).isTrue();
        assertThat(health.path("components").path("stream").path("deadLetters").isNumber()).isTrue();
        assertThat(health.path("components").path("influxdb").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("mqtt").path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("components").path("mqtt").path("error").asText()).isNotBlank();
    }
}
