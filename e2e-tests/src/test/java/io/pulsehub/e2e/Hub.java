package io.pulsehub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.testsupport.FreePorts;
import io.pulsehub.testsupport.InfluxServer;
import io.pulsehub.testsupport.JavaProcess;
import io.pulsehub.testsupport.RedisServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The whole hub as an operator runs it: redis-server, influxd, the broker with the packaged extension and the
 * bridge, each its own process on free loopback ports.
 */
final class Hub implements AutoCloseable {

    static final String DB = "pulsehub";
    static final String JWT_SECRET = "e2e-jwt-secret-" + DeviceTokens.generate();
    static final String ADMIN_TOKEN = DeviceTokens.generate();
    static final String SERVICE_TOKEN = DeviceTokens.generate();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final RedisServer redis;
    final InfluxServer influx;
    final JavaProcess broker;
    final JavaProcess bridge;
    final int mqttPort;
    final int httpPort;
    static final String BRIDGE_CONSUMER = "e2e-bridge";
    private BridgeFactory bridges;
    private final java.util.List<JavaProcess> extraBridges = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** How a bridge instance of this hub is launched: same settings, its own consumer name and HTTP port. */
    @FunctionalInterface
    private interface BridgeFactory {
        JavaProcess create(String consumer, int httpPort);
    }

    private Hub(final RedisServer redis, final InfluxServer influx, final JavaProcess broker, final JavaProcess bridge,
                final int mqttPort, final int httpPort) {
        this.redis = redis;
        this.influx = influx;
        this.broker = broker;
        this.bridge = bridge;
        this.mqttPort = mqttPort;
        this.httpPort = httpPort;
    }

    /** @param aggregateWindows the bridge's HUB_AGGREGATE_WINDOWS */
    static Hub start(final String aggregateWindows) throws IOException {
        return start(aggregateWindows, Map.of());
    }

    /**
     * @param aggregateWindows the bridge's HUB_AGGREGATE_WINDOWS
     * @param bridgeSettings   further environment of the bridge, e.g. HUB_BRIDGE_MAX_DELIVERIES for a fault test
     */
    static Hub start(final String aggregateWindows, final Map<String, String> bridgeSettings) throws IOException {
        final Path root = Path.of(System.getProperty("pulsehub.root", "..")).toAbsolutePath().normalize();
        final Path work = Files.createTempDirectory("pulsehub-e2e-");
        final RedisServer redis = RedisServer.start();
        final InfluxServer influx = InfluxServer.start();
        final int mqttPort = FreePorts.find();
        final int httpPort = FreePorts.find();

        final Map<String, String> common = new HashMap<>();
        common.put("HUB_BIND", "127.0.0.1");
        common.put("HUB_REDIS_URL", redis.url());
        common.put("HUB_STREAM_PARTITIONS", "4");
        common.put("HUB_SERVICE_TOKEN", SERVICE_TOKEN);

        final JavaProcess broker = JavaProcess.builder(jar(root, "hub-broker/target/hub-broker.jar"))
                .env(common)
                .env("HUB_MQTT_PORT", Integer.toString(mqttPort))
                .env("HUB_MQTT_WS_PORT", Integer.toString(FreePorts.find()))
                .env("HUB_BROKER_METRICS_PORT", Integer.toString(FreePorts.find()))
                .env("HUB_BROKER_DATA_DIR", work.resolve("broker").toString())
                .env("HUB_EXTENSIONS_DIR", root.resolve("hivemq-extension/target/extensions").toString())
                .env("HUB_JWT_SECRET", JWT_SECRET)
                // Every second instead of every 5 s, so that the broker's numbers reach InfluxDB within a test.
                .env("HUB_BROKER_STATS_INTERVAL_MS", "1000")
                .jvmArgs("-Xmx512m")
                .logFile(work.resolve("broker.log"))
                .build()
                .start();
        final BridgeFactory bridges = (consumer, port) -> JavaProcess.builder(
                        jar(root, "bridge-service/target/bridge-service.jar"))
                .env(common)
                .env("HUB_HTTP_PORT", Integer.toString(port))
                .env("HUB_INFLUX_URL", influx.url())
                .env("HUB_INFLUX_DB", DB)
                .env("HUB_MQTT_URL", "tcp://127.0.0.1:" + mqttPort)
                .env("HUB_ADMIN_TOKEN", ADMIN_TOKEN)
                .env("HUB_AGGREGATE_WINDOWS", aggregateWindows)
                .env("HUB_AGGREGATE_LATENESS", "500ms")
                .env("HUB_BRIDGE_CONSUMER", consumer)
                .env(bridgeSettings)
                .jvmArgs("-Xmx384m")
                .logFile(work.resolve(BRIDGE_CONSUMER.equals(consumer) ? "bridge.log" : consumer + ".log"))
                .build();
        final JavaProcess bridge = bridges.create(BRIDGE_CONSUMER, httpPort).start();
        final Hub hub = new Hub(redis, influx, broker, bridge, mqttPort, httpPort);
        hub.bridges = bridges;
        try {
            broker.awaitLogLine("PulseHub broker listening", Duration.ofSeconds(60));
            await("bridge healthy").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!bridge.isAlive()) {
                            throw new IllegalStateException("bridge died:\n" + bridge.logTail(60));
                        }
                        return hub.healthStatus() == 200;
                    });
        } catch (final RuntimeException e) {
            final IllegalStateException failure = new IllegalStateException("hub did not become healthy:\n--- broker\n"
                    + broker.logTail(40) + "\n--- bridge\n" + bridge.logTail(40), e);
            hub.close();
            throw failure;
        }
        return hub;
    }

    /** SIGKILL of the bridge, as in a crash mid-batch: no shutdown hook runs, its pending entries stay pending. */
    void killBridge() {
        bridge.kill();
    }

    /** Starts the bridge again (same consumer name, so it finds its own pending entries) and waits until it runs. */
    void restartBridge() {
        bridge.start();
        await("bridge answering /health again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!bridge.isAlive()) {
                        throw new IllegalStateException("bridge died:\n" + bridge.logTail(60));
                    }
                    // 503 is an answer too: the bridge runs and reports a dependency that is down.
                    return healthStatus() > 0;
                });
    }

    /**
     * Stops the broker with SIGTERM and starts it again on the same port and data folder, so persistent sessions
     * and their queued messages survive as they would in production.
     */
    void restartBroker() {
        broker.stop();
        broker.start();
        broker.awaitLogLine("PulseHub broker listening", Duration.ofSeconds(60));
    }

    /**
     * Starts another bridge instance of the same consumer group, as a scaled-out deployment runs it; it takes over
     * entries a dead instance left pending once they idled for HUB_BRIDGE_CLAIM_IDLE.
     */
    JavaProcess startAnotherBridge(final String consumer) {
        final JavaProcess another = bridges.create(consumer, FreePorts.find()).start();
        extraBridges.add(another);
        another.awaitLogLine("PulseHub bridge started", Duration.ofSeconds(90));
        return another;
    }

    private static Path jar(final Path root, final String relative) {
        final Path jar = root.resolve(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it first: ./mvnw -DskipTests package");
        }
        return jar;
    }

    String mqttUrl() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    URI http(final String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    int healthStatus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(http("/health")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (final IOException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Provisions a device through the HTTP API, as a backend would. @return its token */
    String provision(final String deviceId, final String owner) throws IOException, InterruptedException {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(http("/api/devices"))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("id", deviceId, "owner", owner))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("provisioning " + deviceId + " gave " + response.statusCode() + ": "
                    + response.body());
        }
        final JsonNode body = JSON.readTree(response.body());
        return body.get("token").asText();
    }

    @Override
    public void close() {
        extraBridges.forEach(JavaProcess::close);
        bridge.close();
        broker.close();
        influx.close();
        redis.close();
    }
}
