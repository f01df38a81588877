package io.pulsehub.bridge.aggregate;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.pulsehub.contract.Aggregate;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the MQTT publisher where no broker runs (the e2e module covers the MQTT side with HiveMQ): records
 * what the bridge would publish and can play a broker that is down.
 */
@Singleton
@Replaces(AggregatePublisher.class)
@Requires(property = "test.publisher", value = "recording")
public class RecordingPublisher implements AggregatePublisher {

    /** What was published, and whether retained. */
    public record Publication(Aggregate aggregate, boolean retained) {
    }

    private final List<Publication> publications = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean down;

    @Override
    public void publish(final Aggregate aggregate, final boolean retain) throws AggregatePublishException {
        if (down) {
            refused.incrementAndGet();
            throw new AggregatePublishException("broker down (test)");
        }
        publications.add(new Publication(aggregate, retain));
    }

    @Override
    public boolean isConnected() {
        return !down;
    }

    public List<Aggregate> published() {
        return publications.stream().map(Publication::aggregate).toList();
    }

    public List<Aggregate> publishedFor(final String device) {
        return published().stream().filter(aggregate -> aggregate.device().equals(device)).toList();
    }

    public List<Publication> publicationsFor(final String device) {
        return publications.stream().filter(publication -> publication.aggregate().device().equals(device)).toList();
    }

    public void setDown(final boolean down) {
        this.down = down;
    }

    public int refused() {
        return refused.get();
    }
}
