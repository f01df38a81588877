package io.pulsehub.e2e;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects what an MQTT 5 client receives. (Paho 1.2.5's subscribe-with-listener fails on a single subscription
 * with properties, so messages are taken from the client callback instead.)
 */
final class Inbox implements MqttCallback {

    record Received(String topic, MqttMessage message) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();

    List<Received> received() {
        return received;
    }

    @Override
    public void messageArrived(final String topic, final MqttMessage message) {
        received.add(new Received(topic, message));
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
