package io.pulsehub.broker;

import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.contract.Topics;
import io.pulsehub.testsupport.JavaProcess;
import io.pulsehub.testsupport.RedisServer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The broker jar with the extension folder exactly as the hivemq-extension module packages it, against a real
 * redis-server: packaging mistakes (descriptor, shading, config) fail here.
 */
class HubBrokerExtensionIT {

    private static final int PARTITIONS = 4;
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final long MQTT_TIMEOUT_MILLIS = 15_000;

    @TempDir
    static Path work;

    private static RedisServer redis;
    private static RedisClient redisClient;
    private static JavaProcess broker;
    private static String mqttUrl;
    private static URI metricsUrl;

    @BeforeAll
    static void startBrokerWithPackagedExtension() throws Exception {
        redis = RedisServer.start();
        redisClient = RedisClient.create(URI.create(redis.url()));
        final Map<String, String> env = BrokerProcesses.brokerEnv(work.resolve("broker"),
                BrokerProcesses.packagedExtensionsDir());
        env.put("HUB_REDIS_URL", redis.url());
        env.put("HUB_JWT_SECRET", "hub-broker-it-jwt-secret-of-at-least-32-bytes");
        env.put("HUB_SERVICE_TOKEN", "hub-broker-it-service-token");
        env.put("HUB_STREAM_PARTITIONS", Integer.toString(PARTITIONS));
        mqttUrl = "tcp://127.0.0.1:" + env.get("HUB_MQTT_PORT");
        metricsUrl = URI.create("http://127.0.0.1:" + env.get("HUB_BROKER_METRICS_PORT") + "/metrics");
        broker = BrokerProcesses.broker(env, work.resolve("logs")).start();
        broker.awaitLogLine(BrokerProcesses.READY_LINE, STARTUP);
    }

    @AfterAll
    static void stopEverything() {
        if (broker != null) {
            broker.stop();
        }
        if (redisClient != null) {
            redisClient.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void qos1ReadingIsAcknowledgedOnlyOnceItIsTheOneEntryInTheDevicesStream() throws Exception {
        final ProvisionedDevice device = new DeviceRegistry(redisClient).provision("broker-it-1", "alice");
        final byte[] payload = "{\"ts\":1732330000123,\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8);

        final MqttAsyncClient client = connect(device.id(), device.token());
        try {
            final MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            final IMqttToken puback = client.publish(Topics.telemetry(device.id()), message);
            puback.waitForCompletion(MQTT_TIMEOUT_MILLIS);

            assertThat(puback.getException()).isNull();
            // Success or "no matching subscribers" (0x10), which HiveMQ answers when nobody listens; both are
            // positive acknowledgements, unlike every code from 0x80 on.
            assertThat(puback.getReasonCodes()).hasSize(1);
            assertThat(puback.getReasonCodes()[0]).isIn(0x00, 0x10);
        } finally {
            disconnect(client);
        }

        // No waiting: the PUBACK promises that the entry is already in Redis.
        final StreamLayout layout = new StreamLayout(PARTITIONS);
        final List<StreamEntry> entries = redisClient.xrange(layout.streamOf(device.id()), "-", "+");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getFields()).containsEntry("d", device.id())
                .containsEntry("p", new String(payload, StandardCharsets.UTF_8));
        assertThat(IntStream.range(0, PARTITIONS).mapToLong(p -> redisClient.xlen(layout.streamKey(p))).sum())
                .as("entries in all partitions")
                .isEqualTo(1);
        final String metrics = scrapeMetrics();
        assertThat(storedCount(metrics)).as("stored readings in %s", metricsUrl).isGreaterThanOrEqualTo(1);
        assertThat(metrics).contains("io_pulsehub_extension_telemetry_batch_size_count",
                "io_pulsehub_extension_telemetry_xadd_count");
    }

    private static String scrapeMetrics() throws Exception {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(metricsUrl).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double storedCount(final String metrics) {
        final Matcher sample = Pattern.compile("(?m)^io_pulsehub_extension_telemetry_stored (\\S+)$").matcher(metrics);
        assertThat(sample.find()).as("stored counter in %s", metrics).isTrue();
        return Double.parseDouble(sample.group(1));
    }

    @Test
    void deviceWithAWrongTokenIsRefused() throws Exception {
        final ProvisionedDevice device = new DeviceRegistry(redisClient).provision("broker-it-2", "alice");

        assertThatThrownBy(() -> connect(device.id(), device.token() + "x")).isInstanceOf(MqttException.class);
    }

    @Test
    void terminationStopsHiveMqCleanly() throws Exception {
        final Path dataDir = work.resolve("second-broker");
        final Map<String, String> env = BrokerProcesses.brokerEnv(dataDir, BrokerProcesses.packagedExtensionsDir());
        env.put("HUB_REDIS_URL", redis.url());
        env.put("HUB_JWT_SECRET", "hub-broker-it-jwt-secret-of-at-least-32-bytes");
        env.put("HUB_SERVICE_TOKEN", "hub-broker-it-service-token");
        final JavaProcess second = BrokerProcesses.broker(env, work.resolve("second-logs")).start();
        try {
            second.awaitLogLine(BrokerProcesses.READY_LINE, STARTUP);

            second.stop();

            await().atMost(Duration.ofSeconds(30)).until(() -> !second.isAlive());
            assertThat(second.logTail(20)).contains("PulseHub broker stopped");
        } finally {
            second.kill();
        }
    }

    @Test
    void extensionThatRefusesToStartStopsTheBrokerAndLeavesThePackagedFolderAsItWas() throws Exception {
        final Path packaged = BrokerProcesses.packagedExtensionsDir();
        final Map<String, String> env = BrokerProcesses.brokerEnv(work.resolve("misconfigured"), packaged);
        env.put("HUB_REDIS_URL", redis.url());
        env.put("HUB_JWT_SECRET", "too short");
        env.put("HUB_SERVICE_TOKEN", "hub-broker-it-service-token");
        final JavaProcess misconfigured = BrokerProcesses.broker(env, work.resolve("misconfigured-logs")).start();
        try {
            misconfigured.awaitLogLine("HiveMQ disabled extension pulsehub-extension", STARTUP);
            await().atMost(Duration.ofSeconds(30)).until(() -> !misconfigured.isAlive());

            assertThat(misconfigured.logTail(100)).contains("HUB_JWT_SECRET")
                    .doesNotContain(BrokerProcesses.READY_LINE);
            // HiveMQ marks the failed extension in the copy it loaded, never in the build output.
            assertThat(work.resolve("misconfigured/extensions-loaded/pulsehub-extension/DISABLED")).exists();
            assertThat(packaged.resolve("pulsehub-extension/DISABLED")).doesNotExist();
        } finally {
            misconfigured.kill();
        }
    }

    private static MqttAsyncClient connect(final String deviceId, final String token) throws MqttException {
        final MqttAsyncClient client = new MqttAsyncClient(mqttUrl, deviceId, new MemoryPersistence());
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(deviceId);
        options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        try {
            client.connect(options).waitForCompletion(MQTT_TIMEOUT_MILLIS);
            return client;
        } catch (final MqttException e) {
            client.close(true);
            throw e;
        }
    }

    private static void disconnect(final MqttAsyncClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(MQTT_TIMEOUT_MILLIS);
        }
        client.close();
    }
}
