package io.pulsehub.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Collects what a Paho MQTT 5 client receives, optionally handing each message on as it arrives. Paho 1.2.5's
 * {@code subscribe(topic, qos, listener)} recurses until the stack overflows, so tests subscribe with
 * {@code subscribe(MqttSubscription[])} and take messages from the client callback instead.
 */
public final class MqttInbox implements MqttCallback {

    /** One message as it arrived. */
    public record Received(String topic, MqttMessage message) {

        public String payloadUtf8() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final BiConsumer<String, MqttMessage> onMessage;

    public MqttInbox() {
        this((topic, message) -> {
        });
    }

    /** Also hands each message to {@code onMessage} on Paho's callback thread. */
    public MqttInbox(final BiConsumer<String, MqttMessage> onMessage) {
        this.onMessage = onMessage;
    }

    /** Every message received so far, oldest first. */
    public List<Received> received() {
        return received;
    }

    @Override
    public void messageArrived(final String topic, final MqttMessage message) {
        received.add(new Received(topic, message));
        onMessage.accept(topic, message);
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
