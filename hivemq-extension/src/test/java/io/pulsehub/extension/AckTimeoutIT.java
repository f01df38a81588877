package io.pulsehub.extension;

import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When readings wait for the writer longer than HiveMQ waits for the extension, HiveMQ's own timeout answers the
 * publish. With the plain {@code async(timeout, FAILURE)} that answer would be a SUCCESS PUBACK for a reading that
 * was never stored; the extension's fallback must make it a refusal.
 */
class AckTimeoutIT {

    private static final int UNSPECIFIED_ERROR = 0x80;
    private static final int REDIS_TIMEOUT_MS = 200;
    private static final int DEVICES = 12;

    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        // One reading per round trip, each timing out after 200 ms while Redis pauses writes for 700 ms: from the
        // fourth on, the queued readings wait longer than the 600 ms HiveMQ holds a publish.
        hub = EmbeddedHub.withEmbeddedExtension("""
                <redis-timeout-ms>%d</redis-timeout-ms>
                <ack-timeout-ms>%d</ack-timeout-ms>
                <writer-batch-size>1</writer-batch-size>
                <writer-queue-capacity>100</writer-queue-capacity>""".formatted(REDIS_TIMEOUT_MS,
                3 * REDIS_TIMEOUT_MS));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void readingsHiveMqStopsWaitingForAreRefusedNeverAcknowledged() throws Exception {
        final List<MqttAsyncClient> devices = new ArrayList<>();
        try (RedisClient redis = hub.client()) {
            for (int i = 0; i < DEVICES; i++) {
                final ProvisionedDevice device = hub.provision("late", "alice");
                devices.add(Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token()));
            }
            redis.sendCommand(Protocol.Command.CLIENT, "PAUSE", Integer.toString(REDIS_TIMEOUT_MS * 7 / 2),
                    "WRITE");

            final List<Mqtt.Answer> answers = Mqtt.publishAtOnce(devices, "{\"x\":1}");

            assertThat(answers).extracting(Mqtt.Answer::code).containsOnly(UNSPECIFIED_ERROR);
            assertThat(answers).extracting(Mqtt.Answer::reason)
                    .contains("storing the reading timed out; send it again");

            // Readings HiveMQ gave up on are not written later either: the devices will send them again. The
            // marker is queued behind all of them, so its PUBACK means the writer has dealt with every one.
            final ProvisionedDevice marker = hub.provision("marker", "alice");
            final MqttAsyncClient markerClient = Mqtt.v5(hub.mqttUrl(), marker.id(), marker.id(), marker.token());
            devices.add(markerClient);
            assertThat(Mqtt.publish(markerClient, Topics.telemetry(marker.id()), "{\"x\":2}").code())
                    .isIn(0, 0x10);
            // Without skipping them, all but the first three readings would be stored after the pause (measured:
            // 9 of 12); at most one reading taken just before HiveMQ gave up on it may land besides the marker.
            assertThat(hub.totalEntries()).isBetween(1L, 3L);
        } finally {
            devices.forEach(Mqtt::disconnect);
        }
    }
}
