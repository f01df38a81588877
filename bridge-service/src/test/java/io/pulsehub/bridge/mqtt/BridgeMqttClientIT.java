package io.pulsehub.bridge.mqtt;

import io.pulsehub.bridge.MosquittoBroker;
import io.pulsehub.bridge.config.BridgeConfigParser;
import io.pulsehub.testsupport.MqttInbox;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge's MQTT connection against a real broker: it keeps as many publishes in flight as the broker's Receive
 * Maximum allows, and many publishes arrive complete, also when aggregates and commands publish at the same time,
 * and none is refused for exceeding the in-flight limit. Once with a Receive Maximum near HiveMQ's default, once with
 * the hub broker's.
 */
class BridgeMqttClientIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private MosquittoBroker broker;
    private BridgeMqttClient bridge;
    private MqttClient subscriber;
    private final MqttInbox inbox = new MqttInbox();

    private void start(final int receiveMaximum) throws Exception {
        broker = MosquittoBroker.start(receiveMaximum);
        bridge = new BridgeMqttClient(new BridgeConfigParser(Map.of(
                BridgeConfigParser.MQTT_URL, broker.url(),
                BridgeConfigParser.ADMIN_TOKEN, "admin-secret-0123456789",
                BridgeConfigParser.SERVICE_TOKEN, "service-secret-0123456789")::get, line -> { }, () -> "it-host")
                .parse());
        subscriber = new MqttClient(broker.url(), "it-subscriber", new MemoryPersistence());
        subscriber.setCallback(inbox);
        subscriber.connect();
        subscriber.subscribe(new MqttSubscription[]{new MqttSubscription("pub/#", 1)});
        await().atMost(PATIENCE).until(bridge::isConnected);
    }

    @AfterEach
    void stop() throws Exception {
        if (subscriber != null) {
            subscriber.disconnect();
            subscriber.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    // 12, not HiveMQ's 10: the bridge assumes 10 until the CONNACK, so a broker granting 10 could not show it was read.
    @CsvSource({"12, 11, 10", "32, 31, 30"})
    void aBatchAndConcurrentSinglePublishesAllArriveWithoutOverrunningTheBrokersReceiveMaximum(
            final int receiveMaximum, final int inFlight, final int window) throws Exception {
        start(receiveMaximum);
        await().atMost(PATIENCE).until(() -> bridge.inFlightLimit().total() == inFlight);
        assertThat(bridge.inFlightLimit().window()).isEqualTo(window);

        final List<BridgeMqttClient.Message> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(message("pub/batch/" + i));
        }
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            final List<Callable<Void>> work = new ArrayList<>();
            work.add(() -> {
                bridge.publishAll(batch);
                return null;
            });
            for (int thread = 0; thread < 3; thread++) {
                final int t = thread;
                work.add(() -> {
                    for (int i = 0; i < 15; i++) {
                        final BridgeMqttClient.Message single = message("pub/single/" + t + "/" + i);
                        bridge.publish(single.topic(), single.payload(), 1, false);
                    }
                    return null;
                });
            }
            for (final Future<Void> done : threads.invokeAll(work)) {
                done.get(); // a publish refused for too many in flight would throw here
            }
        } finally {
            threads.shutdownNow();
        }

        await().atMost(PATIENCE).until(() -> inbox.received().size() >= 60 + 3 * 15);
        assertThat(inbox.received()).extracting(MqttInbox.Received::topic).doesNotHaveDuplicates()
                .hasSize(60 + 3 * 15)
                .filteredOn(topic -> topic.startsWith("pub/batch/")).hasSize(60);
        assertThat(inbox.received()).filteredOn(received -> received.topic().equals("pub/batch/59"))
                .singleElement().satisfies(received -> assertThat(received.payloadUtf8()).isEqualTo("pub/batch/59"));
    }

    private static BridgeMqttClient.Message message(final String topic) {
        return new BridgeMqttClient.Message(topic, topic.getBytes(StandardCharsets.UTF_8), 1, false);
    }
}
