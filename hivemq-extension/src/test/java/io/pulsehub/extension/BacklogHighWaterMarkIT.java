package io.pulsehub.extension;

import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the bridge falls behind and the streams pass the configured high-water mark, the hub refuses telemetry
 * (MQTT 5 QUOTA_EXCEEDED with a reason, MQTT 3 disconnect) instead of letting Redis run out of memory, and takes
 * it again once the backlog has shrunk.
 */
class BacklogHighWaterMarkIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int HIGH_WATER_MARK = 5;
    private static final int SUCCESS = 0;
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final String REASON = "hub backlog full; retry later";

    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        hub = EmbeddedHub.withEmbeddedExtension("""
                <backlog-high-water-mark>%d</backlog-high-water-mark>
                <backlog-sample-ms>100</backlog-sample-ms>""".formatted(HIGH_WATER_MARK));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    /** What the bridge does once it caught up: acknowledged entries are trimmed away. */
    private static void bridgeCatchesUp() {
        final StreamLayout layout = new StreamLayout(EmbeddedHub.PARTITIONS);
        try (RedisClient redis = hub.client()) {
            for (int partition = 0; partition < EmbeddedHub.PARTITIONS; partition++) {
                redis.del(layout.streamKey(partition));
            }
        }
    }

    @BeforeEach
    void emptyBacklog() {
        bridgeCatchesUp();
    }

    private static boolean isStored(final Mqtt.Answer answer) {
        return answer.code() == SUCCESS || answer.code() == NO_MATCHING_SUBSCRIBERS;
    }

    /** Publishes readings until the hub refuses one; @return the refusal. */
    private static Mqtt.Answer fillUntilRefused(final MqttAsyncClient client, final String deviceId) {
        final AtomicInteger sequence = new AtomicInteger();
        final Mqtt.Answer[] refusal = new Mqtt.Answer[1];
        await("backlog full").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            final Mqtt.Answer answer = Mqtt.publish(client, Topics.telemetry(deviceId),
                    "{\"seq\":" + sequence.incrementAndGet() + "}");
            if (isStored(answer) || hub.totalEntries() < HIGH_WATER_MARK) {
                // A refusal below the mark is the previous test's full backlog, seen before the next sample.
                return false;
            }
            refusal[0] = answer;
            return true;
        });
        return refusal[0];
    }

    @Test
    void telemetryIsRefusedWithQuotaExceededAboveTheMarkAndTakenAgainBelowIt() throws Exception {
        final ProvisionedDevice device = hub.provision("flood", "xena");
        final MqttAsyncClient client = Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            final Mqtt.Answer refused = fillUntilRefused(client, device.id());
            final long backlog = hub.totalEntries();

            assertThat(refused.code()).isEqualTo(QUOTA_EXCEEDED);
            assertThat(refused.reason()).isEqualTo(REASON);
            assertThat(backlog).isGreaterThanOrEqualTo(HIGH_WATER_MARK);
            assertThat(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"seq\":-1}").code())
                    .isEqualTo(QUOTA_EXCEEDED);
            assertThat(hub.totalEntries()).as("nothing refused is stored").isEqualTo(backlog);
            assertThat(client.isConnected()).isTrue();

            bridgeCatchesUp();

            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                    isStored(Mqtt.publish(client, Topics.telemetry(device.id()), "{\"seq\":0}")));
            assertThat(hub.totalEntries()).isEqualTo(1);
        } finally {
            Mqtt.disconnect(client);
        }
    }

    @Test
    void mqtt311DeviceIsDisconnectedWhileTheBacklogIsFullAndNothingIsStored() throws Exception {
        final ProvisionedDevice filler = hub.provision("filler", "xena");
        final MqttAsyncClient fillerClient = Mqtt.v5(hub.mqttUrl(), filler.id(), filler.id(), filler.token());
        final ProvisionedDevice device = hub.provision("legacy", "xena");
        final Mqtt.V3 client = Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token());
        try {
            fillUntilRefused(fillerClient, filler.id());

            client.publish(Topics.telemetry(device.id()), "{\"seq\":1}", 1);

            await().atMost(WAIT).until(() -> !client.connectionLost.isEmpty());
            assertThat(client.acknowledged).isEmpty();
            assertThat(hub.entriesOf(device.id())).isEmpty();
        } finally {
            client.close();
            Mqtt.disconnect(fillerClient);
        }
    }
}
