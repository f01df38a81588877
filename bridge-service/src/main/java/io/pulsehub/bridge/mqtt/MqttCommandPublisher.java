package io.pulsehub.bridge.mqtt;

import io.pulsehub.bridge.command.CommandPublishException;
import io.pulsehub.bridge.command.CommandPublisher;
import io.pulsehub.contract.Topics;
import jakarta.inject.Singleton;

/** Commands over the bridge's MQTT connection; the broker's extension lets the service identity publish there. */
@Singleton
class MqttCommandPublisher implements CommandPublisher {

    /**
     * QoS 1 so that a device with a persistent session gets it after a reconnect; never retained, as a retained
     * command would run again on every resubscribe.
     */
    private static final int QOS = 1;

    private final BridgeMqttClient mqtt;

    MqttCommandPublisher(final BridgeMqttClient mqtt) {
        this.mqtt = mqtt;
    }

    @Override
    public String publish(final String deviceId, final String name, final byte[] payload)
            throws CommandPublishException {
        final String topic = Topics.command(deviceId, name);
        try {
            mqtt.publish(topic, payload, QOS, false);
            return topic;
        } catch (final BridgeMqttClient.PublishFailure e) {
            throw new CommandPublishException(e.getMessage(), e.unavailable(), e);
        }
    }
}
