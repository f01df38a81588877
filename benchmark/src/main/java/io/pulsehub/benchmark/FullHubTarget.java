package io.pulsehub.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pulsehub.contract.DeviceRegistry;
import redis.clients.jedis.RedisClient;

/**
 * The whole hub as {@code ./hub up} runs it (Redis with AOF everysec, InfluxDB, the broker with the extension, the
 * bridge), but on free ports with its own folders and secrets, so a hub the user is running is never touched.
 */
final class FullHubTarget implements Target {

    static final String DB = "pulsehub";
    static final String OWNER = "bench";
    static final Duration WINDOW = Duration.ofSeconds(5);
    static final Duration LATENESS = Duration.ofSeconds(2);

    private final Map<String, Launched> processes = new LinkedHashMap<>();
    private final String jwtSecret = randomToken();
    private final String serviceToken = randomToken();
    private final String adminToken = randomToken();
    private int mqttPort;
    private int redisPort;
    private int influxPort;
    private RedisClient redis;

    private FullHubTarget() {
    }

    /**
     * @param profile     record a JFR profile of the broker and the bridge into {@code dir} (broker.jfr, bridge.jfr)
     * @param persistence the broker's HUB_BROKER_PERSISTENCE
     */
    static FullHubTarget start(final Path dir, final Jars jars, final String partitions, final boolean profile,
                               final String persistence) throws Exception {
        final FullHubTarget hub = new FullHubTarget();
        try {
            hub.startAll(dir, jars, partitions, profile, persistence);
            return hub;
        } catch (final Exception | Error e) {
            hub.close();
            throw e;
        }
    }

    private void startAll(final Path dir, final Jars jars, final String partitions, final boolean profile,
                          final String persistence) throws Exception {
        redisPort = Net.freePort();
        final Path redisDir = Files.createDirectories(dir.resolve("redis"));
        final Launched redisServer = launch("redis", List.of("redis-server", "--bind", Net.LOOPBACK,
                "--port", Integer.toString(redisPort), "--dir", redisDir.toString(), "--appendonly", "yes",
                "--appendfsync", "everysec", "--hz", "50", "--save", "", "--daemonize", "no"), Map.of(), dir);
        redisServer.awaitReady("port accepting", () -> Net.accepts(redisPort), Duration.ofSeconds(30));
        redis = RedisClient.create(URI.create(redisUrl()));

        influxPort = Net.freePort();
        final Path influxDir = Files.createDirectories(dir.resolve("influxdb"));
        final Path influxConfig = influxDir.resolve("influxdb.conf");
        Files.writeString(influxConfig, String.join("\n",
                "reporting-disabled = true",
                "bind-address = \"" + Net.LOOPBACK + ":" + Net.freePort() + "\"",
                "[meta]", "  dir = \"" + influxDir.resolve("meta") + "\"",
                "[data]", "  dir = \"" + influxDir.resolve("data") + "\"",
                "  wal-dir = \"" + influxDir.resolve("wal") + "\"", "  query-log-enabled = false",
                "[http]", "  enabled = true", "  bind-address = \"" + Net.LOOPBACK + ":" + influxPort + "\"",
                "  log-enabled = false",
                "[monitor]", "  store-enabled = false", ""));
        final Launched influxd = launch("influxdb", List.of("influxd", "-config", influxConfig.toString()), Map.of(),
                dir);
        final Influx influx = influx();
        influxd.awaitReady("204 from /ping", influx::ping, Duration.ofSeconds(60));
        influx.createDatabase();

        mqttPort = Net.freePort();
        final Map<String, String> brokerEnv = new LinkedHashMap<>();
        brokerEnv.put("HUB_BIND", Net.LOOPBACK);
        brokerEnv.put("HUB_MQTT_PORT", Integer.toString(mqttPort));
        brokerEnv.put("HUB_MQTT_WS_PORT", Integer.toString(Net.freePort()));
        brokerEnv.put("HUB_BROKER_METRICS_PORT", Integer.toString(Net.freePort()));
        brokerEnv.put("HUB_BROKER_DATA_DIR", dir.resolve("broker").toString());
        brokerEnv.put("HUB_BROKER_PERSISTENCE", persistence);
        brokerEnv.put("HUB_EXTENSIONS_DIR", jars.extensions().toString());
        brokerEnv.put("HUB_REDIS_URL", redisUrl());
        brokerEnv.put("HUB_STREAM_PARTITIONS", partitions);
        brokerEnv.put("HUB_JWT_SECRET", jwtSecret);
        brokerEnv.put("HUB_SERVICE_TOKEN", serviceToken);
        // The per-device rate limit (100/s by default) guards against a misbehaving device; the benchmark's devices
        // send as fast as the hub acknowledges, which is a capacity test, not abuse, and the bare brokers have no
        // such limit. Refused publishes would be cheaper than stored ones and flatter the figure.
        brokerEnv.put("HUB_DEVICE_PUBLISH_RATE", "1000000");
        brokerEnv.put("HUB_DEVICE_PUBLISH_BURST", "1000000");
        final Launched broker = launch("broker", jars.java(withProfile(jars.brokerJvmOptions(), profile,
                dir.resolve("broker.jfr")), jars.broker()), brokerEnv, dir);
        broker.awaitReady("PulseHub broker listening", () -> broker.logContains("PulseHub broker listening on"),
                Duration.ofSeconds(120));

        final int httpPort = Net.freePort();
        final Map<String, String> bridgeEnv = new LinkedHashMap<>();
        bridgeEnv.put("HUB_BIND", Net.LOOPBACK);
        bridgeEnv.put("HUB_HTTP_PORT", Integer.toString(httpPort));
        bridgeEnv.put("HUB_REDIS_URL", redisUrl());
        bridgeEnv.put("HUB_INFLUX_URL", influxUrl());
        bridgeEnv.put("HUB_INFLUX_DB", DB);
        bridgeEnv.put("HUB_MQTT_URL", mqttUrl());
        bridgeEnv.put("HUB_STREAM_PARTITIONS", partitions);
        bridgeEnv.put("HUB_AGGREGATE_WINDOWS", WINDOW.toSeconds() + "s");
        bridgeEnv.put("HUB_AGGREGATE_LATENESS", LATENESS.toSeconds() + "s");
        bridgeEnv.put("HUB_SERVICE_TOKEN", serviceToken);
        bridgeEnv.put("HUB_ADMIN_TOKEN", adminToken);
        bridgeEnv.put("HUB_BRIDGE_CONSUMER", "bench");
        final Launched bridge = launch("bridge", jars.java(withProfile(jars.bridgeJvmOptions(), profile,
                dir.resolve("bridge.jfr")), jars.bridge()), bridgeEnv, dir);
        final HttpClient http = HttpClient.newHttpClient();
        final URI health = URI.create("http://" + Net.LOOPBACK + ":" + httpPort + "/health");
        bridge.awaitReady("200 from /health", () -> {
            try {
                return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (final Exception e) {
                return false;
            }
        }, Duration.ofSeconds(120));
    }

    private static List<String> withProfile(final List<String> options, final boolean profile, final Path jfr) {
        if (!profile) {
            return options;
        }
        final List<String> withJfr = new ArrayList<>(options);
        withJfr.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
        return withJfr;
    }

    private Launched launch(final String name, final List<String> command, final Map<String, String> env,
                            final Path dir) {
        final Launched process = Launched.start(name, command, env, dir.resolve(name + ".log"));
        processes.put(name, process);
        return process;
    }

    String redisUrl() {
        return "redis://" + Net.LOOPBACK + ":" + redisPort;
    }

    String influxUrl() {
        return "http://" + Net.LOOPBACK + ":" + influxPort;
    }

    Influx influx() {
        return new Influx(influxUrl(), DB);
    }

    String jwtSecret() {
        return jwtSecret;
    }

    @Override
    public String key() {
        return "hub";
    }

    @Override
    public String title() {
        return "PulseHub (full)";
    }

    @Override
    public String mqttUrl() {
        return "tcp://" + Net.LOOPBACK + ":" + mqttPort;
    }

    @Override
    public Map<String, Launched> processes() {
        return processes;
    }

    /** Registered straight in the registry the extension reads, as the HTTP API would, but without 10k requests. */
    @Override
    public List<DeviceCredential> devices(final String prefix, final int count) {
        final DeviceRegistry registry = new DeviceRegistry(redis);
        final List<DeviceCredential> devices = new ArrayList<>();
        for (int number = 1; number <= count; number++) {
            final String id = prefix + "-" + number;
            devices.add(new DeviceCredential(id, registry.provision(id, OWNER).token()));
        }
        return devices;
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
        final List<Launched> reverse = new ArrayList<>(processes.values());
        java.util.Collections.reverse(reverse);
        reverse.forEach(Launched::close);
    }

    private static String randomToken() {
        final byte[] bytes = new byte[36];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
