package io.pulsehub.simulator.credentials;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pulsehub.simulator.CannotStartException;
import io.pulsehub.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provisioning client against a small HTTP server that answers as the contract's device API does (201 with the
 * token, 409 when the device exists, 401 for a wrong admin token); the bridge's own tests cover the real API.
 */
class DeviceProvisionerTest {

    private static final String ADMIN_TOKEN = "admin-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI url;

    @BeforeEach
    void startApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/devices", this::handle);
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopApi() {
        server.stop(0);
    }

    private void handle(final HttpExchange exchange) throws IOException {
        final String method = exchange.getRequestMethod();
        final String path = exchange.getRequestURI().getPath();
        requests.add(method + " " + path);
        if (!("Bearer " + ADMIN_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"error\":\"unauthorized\"}");
        } else if ("POST".equals(method) && "/api/devices".equals(path)) {
            final JsonNode body = JSON.readTree(exchange.getRequestBody());
            final String id = body.get("id").asText();
            if (!existing.add(id)) {
                respond(exchange, 409, "{\"error\":\"device " + id + " exists\"}");
            } else {
                respond(exchange, 201, "{\"id\":\"" + id + "\",\"owner\":\"" + body.get("owner").asText()
                        + "\",\"token\":\"token-of-" + id + "\"}");
            }
        } else if ("DELETE".equals(method)) {
            existing.remove(path.substring("/api/devices/".length()));
            respond(exchange, 204, null);
        } else {
            respond(exchange, 404, "{}");
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String body) throws IOException {
        final byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body == null ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void provisionsEveryDeviceAndReturnsItsToken() {
        final List<DeviceCredentials> devices = new DeviceProvisioner(url, ADMIN_TOKEN)
                .provision(List.of("sim-1", "sim-2", "sim-3"), "demo");

        assertThat(devices).containsExactly(new DeviceCredentials("sim-1", "demo", "token-of-sim-1"),
                new DeviceCredentials("sim-2", "demo", "token-of-sim-2"),
                new DeviceCredentials("sim-3", "demo", "token-of-sim-3"));
        assertThat(existing).containsExactlyInAnyOrder("sim-1", "sim-2", "sim-3");
    }

    @Test
    void anExistingDeviceIsDeletedAndCreatedAgainToObtainAToken() {
        existing.add("sim-2");

        final List<DeviceCredentials> devices = new DeviceProvisioner(URI.create(url + "/"), ADMIN_TOKEN)
                .provision(List.of("sim-2"), "demo");

        assertThat(devices).containsExactly(new DeviceCredentials("sim-2", "demo", "token-of-sim-2"));
        assertThat(requests).containsExactly("POST /api/devices", "DELETE /api/devices/sim-2", "POST /api/devices");
    }

    @Test
    void aWrongAdminTokenIsReportedAsSuch() {
        assertThatThrownBy(() -> new DeviceProvisioner(url, "wrong").provision(List.of("sim-1"), "demo"))
                .isInstanceOf(CannotStartException.class)
                .hasMessageContaining("the hub refused the admin token (HTTP 401)")
                .hasMessageContaining("HUB_ADMIN_TOKEN");
    }

    @Test
    void anUnreachableApiIsReportedWithItsUrl() {
        final URI nothing = URI.create("http://127.0.0.1:" + FreePorts.find());
        assertThatThrownBy(() -> new DeviceProvisioner(nothing, ADMIN_TOKEN).provision(List.of("sim-1"), "demo"))
                .isInstanceOf(CannotStartException.class)
                .hasMessageContaining("cannot reach the hub's HTTP API at " + nothing + "/")
                .hasMessageContaining("HUB_HTTP_URL");
    }
}
