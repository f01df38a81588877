package io.pulsehub.simulator.credentials;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.simulator.CannotStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions devices through the hub's HTTP API. A device that already exists is deleted and created again: the API
 * shows a token only once, and the simulator needs one for every device it runs.
 */
public final class DeviceProvisioner {

    private static final Logger log = LoggerFactory.getLogger(DeviceProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Enough to provision thousands of devices in seconds without a request storm on the bridge. */
    private static final int PARALLEL_REQUESTS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI devicesUri;
    private final String adminToken;
    private final HttpClient http;

    public DeviceProvisioner(final URI httpUrl, final String adminToken) {
        final String base = httpUrl.toString().replaceAll("/+$", "");
        this.devicesUri = URI.create(base + "/api/devices");
        this.adminToken = adminToken;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** @throws CannotStartException when the API is unreachable or refuses a device */
    public List<DeviceCredentials> provision(final List<String> deviceIds, final String owner) {
        final ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_REQUESTS, deviceIds.size()),
                runnable -> {
                    final Thread thread = new Thread(runnable, "provisioner");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            final List<Future<DeviceCredentials>> pending = new ArrayList<>();
            for (final String id : deviceIds) {
                pending.add(pool.submit(() -> provisionOne(id, owner)));
            }
            final List<DeviceCredentials> devices = new ArrayList<>();
            for (final Future<DeviceCredentials> device : pending) {
                devices.add(device.get());
            }
            return devices;
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof CannotStartException cannotStart) {
                throw cannotStart;
            }
            throw new CannotStartException("provisioning failed: " + e.getCause(), e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotStartException("interrupted while provisioning devices", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private DeviceCredentials provisionOne(final String id, final String owner) throws InterruptedException {
        HttpResponse<String> created = create(id, owner);
        if (created.statusCode() == 409) {
            log.debug("Device {} exists; deleting it to obtain a fresh token", id);
            final HttpResponse<String> deleted = send(HttpRequest.newBuilder(deviceUri(id)).DELETE(), id);
            if (deleted.statusCode() / 100 != 2 && deleted.statusCode() != 404) {
                throw refused("deleting existing device " + id, deleted);
            }
            created = create(id, owner);
        }
        if (created.statusCode() != 201 && created.statusCode() != 200) {
            throw refused("provisioning device " + id, created);
        }
        try {
            final JsonNode body = JSON.readTree(created.body());
            return new DeviceCredentials(body.path("id").asText(id), body.path("owner").asText(owner),
                    body.path("token").asText(null));
        } catch (final IOException | IllegalArgumentException e) {
            throw new CannotStartException("the hub's answer to provisioning device " + id
                    + " carries no usable token: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> create(final String id, final String owner) throws InterruptedException {
        final String body;
        try {
            body = JSON.writeValueAsString(Map.of("id", id, "owner", owner));
        } catch (final IOException e) {
            throw new IllegalStateException("a map of two strings always serializes", e);
        }
        return send(HttpRequest.newBuilder(devicesUri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), id);
    }

    private HttpResponse<String> send(final HttpRequest.Builder request, final String id)
            throws InterruptedException {
        try {
            return http.send(request.timeout(TIMEOUT).header("Authorization", "Bearer " + adminToken).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final HttpConnectTimeoutException e) {
            throw unreachable("no answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (final ConnectException e) {
            // The JDK's client often gives no message for a refused connection.
            throw unreachable(e.getMessage() == null ? "connection refused" : e.getMessage(), e);
        } catch (final IOException e) {
            throw new CannotStartException("provisioning device " + id + " failed: " + describe(e), e);
        }
    }

    private CannotStartException unreachable(final String reason, final Exception cause) {
        return new CannotStartException("cannot reach the hub's HTTP API at " + devicesUri.resolve("/") + " ("
                + reason + "); is the hub running? Set --http-url or HUB_HTTP_URL", cause);
    }

    private URI deviceUri(final String id) {
        return URI.create(devicesUri + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    private static CannotStartException refused(final String what, final HttpResponse<String> response) {
        final int status = response.statusCode();
        if (status == 401 || status == 403) {
            return new CannotStartException("the hub refused the admin token (HTTP " + status + ") while " + what
                    + "; check --admin-token or HUB_ADMIN_TOKEN");
        }
        final String body = response.body() == null ? "" : response.body().strip();
        return new CannotStartException(what + " failed: HTTP " + status
                + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)));
    }

    private static String describe(final Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
