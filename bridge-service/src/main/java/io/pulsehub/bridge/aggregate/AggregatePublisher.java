package io.pulsehub.bridge.aggregate;

import io.pulsehub.contract.Aggregate;

import java.util.List;

/** Delivers a closed window to the subscribers of {@code aggregates/{device}/{window}}. */
public interface AggregatePublisher {

    /**
     * Returns once the broker has the message (QoS 1).
     *
     * @param retain whether it becomes the topic's retained message: true for the newest window of the topic, false
     *               for a correction of an older one, which must not replace the newest as what new subscribers get
     * @throws AggregatePublishException when the broker is unreachable or refused it; the window is retried later
     */
    void publish(Aggregate aggregate, boolean retain) throws AggregatePublishException;

    /**
     * Publishes a closed window's aggregates, each retained; returns once the broker has every one. An implementation
     * may have several in flight at once, so that a window of many devices is not one round trip per device.
     *
     * @throws AggregatePublishException when one of them failed; some of the others may have been published, which
     *                                   closing the window again repeats harmlessly (retained, same payload)
     */
    default void publishAll(final List<Aggregate> aggregates) throws AggregatePublishException {
        for (final Aggregate aggregate : aggregates) {
            publish(aggregate, true);
        }
    }

    /** Whether publishing can currently work, for /health. */
    boolean isConnected();
}
