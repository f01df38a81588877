package io.pulsehub.benchmark;

import java.util.function.BiConsumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Hands each arriving message's topic and payload on. Paho 1.2.5's {@code subscribe(topic, qos, listener)} recurses
 * until the stack overflows, so subscribers use a callback and {@code subscribe(MqttSubscription[])}.
 */
final class MessageCallback implements MqttCallback {

    private final BiConsumer<String, byte[]> onMessage;

    MessageCallback(final BiConsumer<String, byte[]> onMessage) {
        this.onMessage = onMessage;
    }

    @Override
    public void messageArrived(final String topic, final MqttMessage message) {
        onMessage.accept(topic, message.getPayload());
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
    public void connectComplete(final boolean reconnect, final String serverUri) {
    }

    @Override
    public void authPacketArrived(final int reasonCode, final MqttProperties properties) {
    }
}
