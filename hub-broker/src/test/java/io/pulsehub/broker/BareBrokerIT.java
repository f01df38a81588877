package io.pulsehub.broker;

import io.pulsehub.testsupport.JavaProcess;
import io.pulsehub.testsupport.MqttInbox;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The benchmark baseline: plain HiveMQ that lets anyone in, only with its exact confirmation value. */
class BareBrokerIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void bareBrokerForwardsBetweenAnonymousClientsAndWarnsLoudly() throws Exception {
        final Map<String, String> env = BrokerProcesses.brokerEnv(work.resolve("broker"), work.resolve("absent"));
        env.put("HUB_BROKER_BARE", "benchmark-only-no-auth");
        env.put("HUB_BROKER_RECEIVE_MAXIMUM", "24");
        env.put("HUB_BROKER_PERSISTENCE", "in-memory");
        final JavaProcess broker = BrokerProcesses.broker(env, work.resolve("logs")).start();
        try {
            broker.awaitLogLine(BrokerProcesses.READY_LINE, STARTUP);
            assertThat(broker.logTail(200)).contains("NO extension, NO authentication");
            // HiveMQ's own words for the persistence mode the generated configuration gave it.
            broker.awaitLogLine("Starting with in-memory persistence mode", Duration.ofSeconds(5));

            final String url = "tcp://127.0.0.1:" + env.get("HUB_MQTT_PORT");
            final MqttInbox inbox = new MqttInbox();
            final MqttClient subscriber = connect(url, "anyone-sub");
            final MqttClient publisher = new MqttClient(url, "anyone-pub", new MemoryPersistence());
            final IMqttToken connack = publisher.connectWithResult(new MqttConnectionOptions());
            try {
                // The generated configuration reached HiveMQ: it tells MQTT 5 clients the receive maximum it was given.
                assertThat(connack.getResponseProperties().getReceiveMaximum()).isEqualTo(24);
                subscriber.setCallback(inbox);
                subscriber.subscribe(new MqttSubscription[]{new MqttSubscription("devices/+/telemetry", 1)});
                final MqttMessage reading = new MqttMessage("{\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8));
                reading.setQos(1);
                publisher.publish("devices/d1/telemetry", reading);
                await().atMost(Duration.ofSeconds(10)).until(() -> inbox.received().stream()
                        .anyMatch(received -> received.payloadUtf8().equals("{\"temperature\":21.5}")));
            } finally {
                publisher.disconnect();
                subscriber.disconnect();
            }
        } finally {
            broker.kill();
        }
    }

    @Test
    void casualTrueRefusesToStart() throws Exception {
        final Map<String, String> env = BrokerProcesses.brokerEnv(work.resolve("broker"), work.resolve("absent"));
        env.put("HUB_BROKER_BARE", "true");
        final JavaProcess broker = BrokerProcesses.broker(env, work.resolve("logs")).start();
        try {
            broker.awaitLogLine("set it to exactly 'benchmark-only-no-auth'", STARTUP);
            await().atMost(Duration.ofSeconds(30)).until(() -> !broker.isAlive());
            assertThat(broker.logTail(50)).doesNotContain(BrokerProcesses.READY_LINE);
        } finally {
            broker.kill();
        }
    }

    private static MqttClient connect(final String url, final String clientId) throws Exception {
        final MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        return client;
    }
}
