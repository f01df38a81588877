package io.pulsehub.extension;

import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ack chain when Redis fails: nothing is acknowledged that is not stored. MQTT 5 devices get a negative PUBACK,
 * MQTT 3.1.1 devices are disconnected without a PUBACK and send the reading again once Redis is back.
 */
class RedisOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int UNSPECIFIED_ERROR = 0x80;
    private static final int SERVER_UNAVAILABLE = 0x88;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final int V3_SERVER_UNAVAILABLE = 3;
    private static final int REDIS_TIMEOUT_MS = 500;

    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        hub = EmbeddedHub.withEmbeddedExtension("""
                <redis-timeout-ms>%d</redis-timeout-ms>
                <ack-timeout-ms>5000</ack-timeout-ms>
                <writer-batch-size>1</writer-batch-size>
                <writer-queue-capacity>1</writer-queue-capacity>""".formatted(REDIS_TIMEOUT_MS));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    /** Every test leaves Redis running and writable for the next. */
    @AfterEach
    void redisBackToNormal() {
        try (RedisClient redis = hub.client()) {
            redis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
            return;
        } catch (final RuntimeException notRunning) {
            hub.redis().restart();
        }
    }

    @Test
    void mqtt5ReadingWhileRedisIsDownGetsANegativePubackAndTheHubRecovers() throws Exception {
        final ProvisionedDevice device = hub.provision("outage5", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            hub.redis().kill();

            final Mqtt.Answer refused = Mqtt.publish(client, Topics.telemetry(device.id()), "{\"seq\":1}");

            assertThat(refused.code()).isEqualTo(UNSPECIFIED_ERROR);
            assertThat(refused.reason()).isEqualTo("storage unavailable; reading not stored");
            assertThat(client.isConnected()).isTrue();

            hub.redis().restart();
            final Mqtt.Answer stored = Mqtt.publish(client, Topics.telemetry(device.id()), "{\"seq\":2}");

            assertThat(stored.code()).isIn(0, 0x10);
            assertThat(hub.entriesOf(device.id())).extracting(entry -> entry.getFields().get("p"))
                    .containsExactly("{\"seq\":2}");
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void firstReadingAfterARedisRestartIsStoredThoughTheWritersConnectionWentStale() throws Exception {
        final ProvisionedDevice device = hub.provision("restart", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"seq\":1}").code()).isIn(0, 0x10);

            // Redis closes the writer's idle connection as it stops; the writer does not test it before use.
            hub.redis().restart();
            final Mqtt.Answer afterRestart = Mqtt.publish(client, Topics.telemetry(device.id()), "{\"seq\":2}");

            assertThat(afterRestart.code()).as("reason: %s", afterRestart.reason()).isIn(0, 0x10);
            assertThat(hub.entriesOf(device.id())).extracting(entry -> entry.getFields().get("p"))
                    .containsExactly("{\"seq\":1}", "{\"seq\":2}");
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void theWriterDoesNotPingRedisBeforeEachBatch() throws Exception {
        final int readings = 20;
        final ProvisionedDevice device = hub.provision("noping", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try (RedisClient redis = hub.client()) {
            final long pingsBefore = pings(redis);
            for (int seq = 0; seq < readings; seq++) {
                assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"seq\":" + seq + "}").code())
                        .isIn(0, 0x10);
            }

            // Batches of one here, so a PING per batch would be one per reading; the housekeeping pings now and then.
            assertThat(pings(redis) - pingsBefore).isLessThan(readings / 2);
        } finally {
            Mqtt.disconnect(client);
        }
    }

    private static long pings(final RedisClient redis) {
        final String stats = redis.info("commandstats");
        final Matcher calls = Pattern.compile("cmdstat_ping:calls=(\\d+)").matcher(stats);
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    @Test
    void mqtt311ReadingWhileRedisIsDownDisconnectsWithoutPubackAndIsResentAfterRecovery() throws Exception {
        final ProvisionedDevice device = hub.provision("outage3", "alice");
        final Mqtt.V3 client = new Mqtt.V3(hub.mqttUrl(), device.id(), device.id(), device.token(), false)
                .connect();
        try {
            hub.redis().kill();

            final IMqttDeliveryToken token = client.publish(Topics.telemetry(device.id()), "{\"seq\":1}", 1);

            await().atMost(WAIT).until(() -> !client.connectionLost.isEmpty());
            assertThat(client.acknowledged).as("no PUBACK may reach the device").isEmpty();
            assertThat(token.isComplete()).isFalse();

            hub.redis().restart();
            // The persistent session and Paho's in-flight store make the client send the reading again.
            client.connect();

            await().atMost(WAIT).until(() -> client.acknowledged.contains(token.getMessageId()));
            assertThat(hub.entriesOf(device.id())).extracting(entry -> entry.getFields().get("p"))
                    .containsExactly("{\"seq\":1}");
        } finally {
            client.close();
        }
    }

    @Test
    void loginWhileRedisIsDownIsRefusedAsServerUnavailable() throws Exception {
        final ProvisionedDevice device = hub.provision("login", "alice");
        hub.redis().kill();

        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                .isEqualTo(SERVER_UNAVAILABLE);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                .isEqualTo(V3_SERVER_UNAVAILABLE);

        hub.redis().restart();
        Mqtt.disconnect(Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token()));
    }

    @Test
    void readingThatRedisDoesNotTakeInTimeGetsANegativePuback() throws Exception {
        final ProvisionedDevice device = hub.provision("slow", "alice");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try (RedisClient redis = hub.client()) {
            // Writes wait while Redis is paused; the writer gives up after its read timeout.
            redis.sendCommand(Protocol.Command.CLIENT, "PAUSE", Integer.toString(REDIS_TIMEOUT_MS * 4), "WRITE");

            final Mqtt.Answer answer = Mqtt.publish(client, Topics.telemetry(device.id()), "{\"seq\":1}");

            assertThat(answer.code()).isEqualTo(UNSPECIFIED_ERROR);
            assertThat(answer.reason()).isEqualTo("storage unavailable; reading not stored");
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void fullWriterQueueIsAnsweredAtOnceWithQuotaExceeded() throws Exception {
        final List<MqttAsyncClient> clients = new ArrayList<>();
        try (RedisClient redis = hub.client()) {
            for (int i = 0; i < 4; i++) {
                final ProvisionedDevice device = hub.provision("busy", "alice");
                clients.add(Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token()));
            }
            redis.sendCommand(Protocol.Command.CLIENT, "PAUSE", Integer.toString(REDIS_TIMEOUT_MS * 6), "WRITE");

            // One reading blocks in the writer, one waits in the queue of one: the others cannot be taken.
            final List<Mqtt.Answer> answers = Mqtt.publishAtOnce(clients, "{\"x\":1}");
            final List<Integer> codes = answers.stream().map(Mqtt.Answer::code).toList();
            final List<String> reasons = answers.stream().map(Mqtt.Answer::reason).toList();

            assertThat(codes).contains(QUOTA_EXCEEDED).doesNotContain(0, 0x10);
            assertThat(reasons).contains("hub is busy storing readings; send it again later");
        } finally {
            clients.forEach(Mqtt::disconnect);
        }
    }
}
