package io.pulsehub.e2e;

import io.pulsehub.contract.Aggregate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The aggregates an app received: the highest revision of each device's window, and anything unreadable. */
final class FaultAggregates implements MqttCallback {

    private final Map<String, Aggregate> latest = new ConcurrentHashMap<>();
    private final List<String> unreadable = new CopyOnWriteArrayList<>();

    Collection<Aggregate> latest() {
        return latest.values();
    }

    List<String> unreadable() {
        return unreadable;
    }

    @Override
    public void messageArrived(final String topic, final MqttMessage message) {
        try {
            final Aggregate aggregate = Aggregate.fromJson(message.getPayload());
            latest.merge(aggregate.device() + "@" + aggregate.start(), aggregate,
                    (old, now) -> now.revision() >= old.revision() ? now : old);
        } catch (final IOException e) {
            unreadable.add(topic + ": " + e.getMessage());
        }
    }

    @Override
    public void disconnected(final MqttDisconnectResponse response) {
    }

    @Override
    public void mqttErrorOccurred(final MqttException exception) {
    }

    @Override
    public void deliveryComplete(final IMqttToken token) {
    }

    @Override
    public void connectComplete(final boolean reconnect, final String serverURI) {
    }

    @Override
    public void authPacketArrived(final int reasonCode, final MqttProperties properties) {
    }
}
