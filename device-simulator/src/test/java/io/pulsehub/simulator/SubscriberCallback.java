package io.pulsehub.simulator;

import java.util.function.BiConsumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho v5 callback that only hands each message's topic and payload on. */
final class SubscriberCallback implements MqttCallback {

    private final BiConsumer<String, byte[]> onMessage;

    SubscriberCallback(final BiConsumer<String, byte[]> onMessage) {
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
