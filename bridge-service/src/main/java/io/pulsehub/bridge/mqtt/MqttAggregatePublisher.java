package io.pulsehub.bridge.mqtt;

import io.pulsehub.bridge.aggregate.AggregatePublishException;
import io.pulsehub.bridge.aggregate.AggregatePublisher;
import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.Topics;
import jakarta.inject.Singleton;

/** Publishes aggregates (QoS 1, retained as the caller says) over the bridge's MQTT connection. */
@Singleton
class MqttAggregatePublisher implements AggregatePublisher {

    private static final int QOS = 1;

    private final BridgeMqttClient mqtt;

    MqttAggregatePublisher(final BridgeMqttClient mqtt) {
        this.mqtt = mqtt;
    }

    @Override
    public void publish(final Aggregate aggregate, final boolean retain) throws AggregatePublishException {
        try {
            mqtt.publish(Topics.aggregate(aggregate.device(), aggregate.window()), aggregate.toJson(), QOS, retain);
        } catch (final BridgeMqttClient.PublishFailure e) {
            throw new AggregatePublishException(e.getMessage(), e);
        }
    }

    @Override
    public boolean isConnected() {
        return mqtt.isConnected();
    }
}
