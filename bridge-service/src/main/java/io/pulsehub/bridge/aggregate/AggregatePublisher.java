package io.pulsehub.bridge.aggregate;

import io.pulsehub.contract.Aggregate;

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

    /** Whether publishing can currently work, for /health. */
    boolean isConnected();
}
