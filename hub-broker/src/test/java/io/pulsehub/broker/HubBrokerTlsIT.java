package io.pulsehub.broker;

import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.contract.Topics;
import io.pulsehub.testsupport.FreePorts;
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

import javax.net.SocketFactory;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The packaged broker with the packaged extension and a keystore signed by a CA made in the test: devices connect
 * over TLS and secure WebSocket when they trust that CA, and nobody who does not trust it gets past the handshake.
 */
class HubBrokerTlsIT {

    private static final int PARTITIONS = 4;
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final long MQTT_TIMEOUT_MILLIS = 15_000;

    @TempDir
    static Path work;

    private static RedisServer redis;
    private static RedisClient redisClient;
    private static JavaProcess broker;
    private static TestCertificates certificates;
    private static String tlsUrl;
    private static String wssUrl;

    @BeforeAll
    static void startBrokerWithTls() throws Exception {
        certificates = TestCertificates.create(work.resolve("tls"), "test-keystore-pass");
        redis = RedisServer.start();
        redisClient = RedisClient.create(URI.create(redis.url()));
        final Map<String, String> env = tlsBrokerEnv(work.resolve("broker"));
        tlsUrl = "ssl://127.0.0.1:" + env.get("HUB_MQTT_TLS_PORT");
        wssUrl = "wss://127.0.0.1:" + env.get("HUB_MQTT_WSS_PORT") + "/mqtt";
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

    private static Map<String, String> tlsBrokerEnv(final Path dataDir) {
        final Map<String, String> env = BrokerProcesses.brokerEnv(dataDir, BrokerProcesses.packagedExtensionsDir());
        env.put("HUB_MQTT_TLS_PORT", Integer.toString(FreePorts.find()));
        env.put("HUB_MQTT_WSS_PORT", Integer.toString(FreePorts.find()));
        env.put("HUB_TLS_KEYSTORE", certificates.serverKeystore().toString());
        env.put("HUB_TLS_KEYSTORE_PASSWORD", certificates.password());
        env.put("HUB_REDIS_URL", redis.url());
        env.put("HUB_JWT_SECRET", "hub-broker-it-jwt-secret-of-at-least-32-bytes");
        env.put("HUB_SERVICE_TOKEN", "hub-broker-it-service-token");
        env.put("HUB_STREAM_PARTITIONS", Integer.toString(PARTITIONS));
        return env;
    }

    @Test
    void readyLineNamesTheTlsListeners() {
        assertThat(broker.logTail(200)).contains(tlsUrl.replace("ssl://", "mqtts://")).contains(wssUrl);
    }

    @Test
    void deviceTrustingOnlyTheHubCaPublishesQos1OverTlsAndTheReadingIsStored() throws Exception {
        final ProvisionedDevice device = new DeviceRegistry(redisClient).provision("tls-it-1", "alice");
        final byte[] payload = "{\"ts\":1732330000123,\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8);

        final MqttAsyncClient client = connect(tlsUrl, device, certificates.trustingOnlyTheCa());
        try {
            final MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            final IMqttToken puback = client.publish(Topics.telemetry(device.id()), message);
            puback.waitForCompletion(MQTT_TIMEOUT_MILLIS);

            assertThat(puback.getException()).isNull();
            assertThat(puback.getReasonCodes()).hasSize(1);
            assertThat(puback.getReasonCodes()[0]).isIn(0x00, 0x10);
        } finally {
            disconnect(client);
        }

        // No waiting: the PUBACK promises that the entry is already in Redis.
        final List<StreamEntry> entries = entriesOf(device);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getFields()).containsEntry("d", device.id())
                .containsEntry("p", new String(payload, StandardCharsets.UTF_8));
    }

    @Test
    void clientThatDoesNotTrustTheHubCaFailsTheHandshake() throws Exception {
        final ProvisionedDevice device = new DeviceRegistry(redisClient).provision("tls-it-2", "alice");

        // The JDK's default trust store: public CAs only, not the hub's.
        assertThatThrownBy(() -> connect(tlsUrl, device, SSLSocketFactory.getDefault()))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SSLHandshakeException.class));
    }

    @Test
    void deviceConnectsOverSecureWebSocket() throws Exception {
        final ProvisionedDevice device = new DeviceRegistry(redisClient).provision("tls-it-3", "alice");

        final MqttAsyncClient client = connect(wssUrl, device, certificates.trustingOnlyTheCa());
        try {
            assertThat(client.isConnected()).isTrue();
            final MqttMessage message = new MqttMessage("{\"humidity\":40}".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            final IMqttToken puback = client.publish(Topics.telemetry(device.id()), message);
            puback.waitForCompletion(MQTT_TIMEOUT_MILLIS);
            assertThat(puback.getReasonCodes()[0]).isIn(0x00, 0x10);
        } finally {
            disconnect(client);
        }
        assertThat(entriesOf(device)).hasSize(1);
    }

    @Test
    void wrongKeystorePasswordStopsTheBrokerNamingTheVariable() throws Exception {
        final Map<String, String> env = tlsBrokerEnv(work.resolve("wrong-password"));
        env.put("HUB_TLS_KEYSTORE_PASSWORD", "not-the-password");
        assertRefusedToStart(env, "wrong-password-logs", "cannot be opened: wrong HUB_TLS_KEYSTORE_PASSWORD");
    }

    @Test
    void unreadableKeystoreStopsTheBroker() throws Exception {
        final Path garbage = Files.writeString(work.resolve("not-a-keystore.p12"), "not a keystore");
        final Map<String, String> env = tlsBrokerEnv(work.resolve("garbage"));
        env.put("HUB_TLS_KEYSTORE", garbage.toString());
        assertRefusedToStart(env, "garbage-logs", "HUB_TLS_KEYSTORE " + garbage);
    }

    private static void assertRefusedToStart(final Map<String, String> env, final String logs, final String reason)
            throws Exception {
        final JavaProcess refused = BrokerProcesses.broker(env, work.resolve(logs)).start();
        try {
            refused.awaitLogLine(reason, STARTUP);
            await().atMost(Duration.ofSeconds(30)).until(() -> !refused.isAlive());
            assertThat(refused.logTail(50)).doesNotContain(BrokerProcesses.READY_LINE)
                    .doesNotContain(env.get("HUB_TLS_KEYSTORE_PASSWORD"));
        } finally {
            refused.kill();
        }
    }

    private static MqttAsyncClient connect(final String url, final ProvisionedDevice device,
                                           final SocketFactory sockets) throws MqttException {
        final MqttAsyncClient client = new MqttAsyncClient(url, device.id(), new MemoryPersistence());
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(device.id());
        options.setPassword(device.token().getBytes(StandardCharsets.UTF_8));
        options.setSocketFactory(sockets);
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

    // Other tests' devices may share the partition's stream.
    private static List<StreamEntry> entriesOf(final ProvisionedDevice device) {
        return redisClient.xrange(new StreamLayout(PARTITIONS).streamOf(device.id()), "-", "+").stream()
                .filter(entry -> device.id().equals(entry.getFields().get("d")))
                .toList();
    }

    private static List<Throwable> causes(final Throwable error) {
        final List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static void disconnect(final MqttAsyncClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(MQTT_TIMEOUT_MILLIS);
        }
        client.close();
    }
}
