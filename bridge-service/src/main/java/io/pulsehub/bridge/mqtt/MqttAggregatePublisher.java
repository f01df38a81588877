package io.pulsehub.bridge.mqtt;

import io.pulsehub.bridge.aggregate.AggregatePublishException;
import io.pulsehub.bridge.aggregate.AggregatePublisher;
import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.Topics;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

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
    public void publishAll(final List<Aggregate> aggregates) throws AggregatePublishException {
        final List<BridgeMqttClient.Message> messages = new ArrayList<>(aggregates.size());
        for (final Aggregate aggregate : aggregates) {
            messages.add(new BridgeMqttClient.Message(Topics.aggregate(aggregate.device(), aggregate.window()),
                    aggregate.toJson(), QOS, true));
        }
        try {
            mqtt.publishAll(messages);
        } catch (final BridgeMqttClient.PublishFailure e) {
            throw new AggregatePublishException(e.getMessage(), e);
        }
    }

    @Override
    public boolean isConnected() {
        return mqtt.isConnected();
    }
}
