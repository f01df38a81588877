package io.pulsehub.e2e;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.testsupport.MqttInbox;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The aggregates an app received: the highest revision of each device's window, and anything unreadable. */
final class FaultAggregates {

    private final Map<String, Aggregate> latest = new ConcurrentHashMap<>();
    private final List<String> unreadable = new CopyOnWriteArrayList<>();
    private final MqttInbox callback = new MqttInbox(this::take);

    Collection<Aggregate> latest() {
        return latest.values();
    }

    List<String> unreadable() {
        return unreadable;
    }

    /** The client callback that feeds these aggregates. */
    MqttCallback callback() {
        return callback;
    }

    private void take(final String topic, final MqttMessage message) {
        try {
            final Aggregate aggregate = Aggregate.fromJson(message.getPayload());
            latest.merge(aggregate.device() + "@" + aggregate.start(), aggregate,
                    (old, now) -> now.revision() >= old.revision() ? now : old);
        } catch (final IOException e) {
            unreadable.add(topic + ": " + e.getMessage());
        }
    }
}
