package io.pulsehub.benchmark;

import java.util.concurrent.atomic.AtomicLong;

import io.pulsehub.contract.MqttSockets;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** The one subscriber of a bare broker: receives every reading at QoS 1 and counts them. */
final class TelemetrySubscriber implements AutoCloseable {

    private final MqttClient client;
    private final AtomicLong received = new AtomicLong();

    TelemetrySubscriber(final String mqttUrl) throws MqttException {
        client = new MqttClient(mqttUrl, "bench-subscriber", new MemoryPersistence());
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setReceiveMaximum(65_535);
        options.setSocketFactory(MqttSockets.forServer(mqttUrl));
        client.setCallback(new MessageCallback((topic, payload) -> received.incrementAndGet()));
        client.connect(options);
        client.subscribe(new MqttSubscription[]{new MqttSubscription("devices/+/telemetry", 1)});
    }

    long received() {
        return received.get();
    }

    @Override
    public void close() {
        try {
            client.disconnect(5_000);
            client.close();
        } catch (final MqttException e) {
            // it goes away with the broker anyway
        }
    }
}
