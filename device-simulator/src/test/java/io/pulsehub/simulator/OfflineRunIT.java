package io.pulsehub.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.contract.Reading;
import io.pulsehub.contract.TelemetryCodec;
import io.pulsehub.contract.Topics;
import io.pulsehub.testsupport.MqttInbox;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The offline mode against a real HiveMQ: devices go offline after ten readings, buffer the next twenty with their own
 * times, and upload them as array payloads when they reconnect; a subscriber sees every reading exactly once.
 */
class OfflineRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;

    private static TestBroker broker;
    private static Path credentials;

    /** One message as the subscriber saw it. */
    record Arrival(long receivedMillis, boolean array, List<Reading> readings) {
    }

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(folder.resolve("hivemq"));
        credentials = folder.resolve("devices.jsonl");
        Files.writeString(credentials, """
                {"id":"off-1","owner":"demo","token":"token-1"}
                {"id":"off-2","owner":"demo","token":"token-2"}
                """);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3", "5"})
    void bufferedReadingsAreUploadedAsArraysWithTheirOwnTimes(final String version) throws Exception {
        final Map<String, List<Arrival>> arrivals = new ConcurrentHashMap<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final MqttClient subscriber = new MqttClient(broker.url(), "offline-subscriber-" + version,
                new MemoryPersistence());
        subscriber.setCallback(new MqttInbox((topic, message) -> {
            final byte[] payload = message.getPayload();
            try {
                final String device = Topics.deviceOfTelemetry(topic).orElseThrow();
                arrivals.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>()).add(new Arrival(
                        System.currentTimeMillis(), payload.length > 0 && payload[0] == '[',
                        TelemetryCodec.decode(payload, System.currentTimeMillis() * 1_000_000L)));
            } catch (final Exception e) {
                problems.add(topic + ": " + e);
            }
        }));
        subscriber.connect(new MqttConnectionOptions());
        subscriber.subscribe(new MqttSubscription[]{new MqttSubscription("devices/+/telemetry", 1)});
        final Path json = folder.resolve("offline-" + version + ".json");
        try {
            // 20/s: ten live readings take half a second, the next twenty fall into the second offline.
            final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--count", "30", "--rate", "20",
                    "--mqtt-version", version, "--offline-after", "10", "--offline-for", "1s", "--upload-batch", "8",
                    "--mqtt-url", broker.url(), "--json", json.toString(), "--quiet");

            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_OK);
            assertThat(cli.out()).as(cli.toString())
                    .contains("40 readings buffered, 40 uploaded (acknowledged) in 6 array publishes")
                    .doesNotContain("connection losses")
                    .containsPattern("(?m)^\\s+sent\\s+26$")
                    .containsPattern("(?m)^\\s+acked\\s+26$");
            final JsonNode offline = JSON.readTree(json.toFile()).get("offline");
            assertThat(offline.get("buffered").asLong()).isEqualTo(40);
            assertThat(offline.get("uploaded").asLong()).isEqualTo(40);
            assertThat(offline.get("uploadPublishes").asLong()).isEqualTo(6);

            await().untilAsserted(() -> assertThat(arrivals.values().stream().flatMap(List::stream)
                    .mapToInt(a -> a.readings().size()).sum()).isEqualTo(60));
        } finally {
            subscriber.disconnect();
            subscriber.close();
        }
        assertThat(problems).isEmpty();
        assertThat(arrivals).containsOnlyKeys("off-1", "off-2");
        for (final List<Arrival> device : arrivals.values()) {
            final List<Reading> readings = device.stream().flatMap(a -> a.readings().stream()).toList();
            assertThat(readings).extracting(r -> r.metrics().get("seq").longValue()).as("every reading once, in order")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
            assertThat(readings).extracting(Reading::timeNanos).isSorted().doesNotHaveDuplicates();
            final List<Arrival> arrays = device.stream().filter(Arrival::array).toList();
            assertThat(arrays).extracting(a -> a.readings().size()).containsExactly(8, 8, 4);
            // The first buffered reading was taken right after the device went offline, a second before its upload.
            final Arrival firstUpload = arrays.get(0);
            assertThat(firstUpload.receivedMillis() - firstUpload.readings().get(0).epochMillis())
                    .as("the buffered reading keeps the time it was taken").isGreaterThanOrEqualTo(500);
        }
    }
}
