package io.pulsehub.bridge.aggregate;

import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.bridge.metrics.PipelineMeters;
import io.pulsehub.contract.Aggregate;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Closes a window: asks InfluxDB for the statistics of every device's raw points in it, publishes each device's
 * aggregate and stores it for Grafana. Publishing comes before storing so that a stored aggregate has always been
 * published; a failure anywhere leaves the window open, and closing it again gives the same messages.
 */
final class WindowCloser {

    private static final Logger log = LoggerFactory.getLogger(WindowCloser.class);

    private final TelemetryStore store;
    private final AggregatePublisher publisher;
    private final PipelineMeters meters;

    WindowCloser(final TelemetryStore store, final AggregatePublisher publisher, final PipelineMeters meters) {
        this.store = store;
        this.publisher = publisher;
        this.meters = meters;
    }

    /** @return the aggregates published, one per device with readings in the window */
    List<Aggregate> close(final AggregateWindow window, final long start) throws AggregatePublishException {
        final long started = System.nanoTime();
        final List<Aggregate> aggregates = AggregateRows.fromWindowQuery(
                store.query(AggregateRows.windowQuery(start, start + window.millis(), null)), window, start, 0);
        final long queried = System.nanoTime();
        publisher.publishAll(aggregates);
        final List<Point> points = new ArrayList<>(aggregates.size());
        for (final Aggregate aggregate : aggregates) {
            meters.aggregatePublished(false);
            points.add(AggregatePoints.of(aggregate, window));
        }
        log.debug("Window {} starting {}: query {} ms, {} publications {} ms", window.name(), start,
                (queried - started) / 1_000_000, aggregates.size(), (System.nanoTime() - queried) / 1_000_000);
        store.write(points);
        return aggregates;
    }

    /**
     * Aggregates one device's closed window again after a late reading; publishes and stores it with the next
     * revision, unless it equals what was published already. A window closed before the bridge first ran was never
     * published; its first publication is revision 1 all the same, as it is a correction of nothing.
     *
     * @param newest whether this is the last window closed, whose message is the retained one
     * @return the corrected aggregate, or empty when nothing changed
     */
    Optional<Aggregate> revise(final AggregateWindow window, final long start, final String deviceId,
                               final boolean newest) throws AggregatePublishException {
        final String query = AggregateRows.windowQuery(start, start + window.millis(), deviceId);
        final Optional<Aggregate> current =
                AggregateRows.fromWindowQuery(store.query(query), window, start, 0).stream().findFirst();
        if (current.isEmpty()) {
            return Optional.empty();
        }
        final Optional<Aggregate> published = AggregateRows.fromStoredPoint(
                store.query(AggregateRows.storedQuery(window, start, deviceId)), window, start, deviceId);
        if (published.isPresent() && published.get().metrics().equals(current.get().metrics())) {
            return Optional.empty();
        }
        final Aggregate corrected = new Aggregate(deviceId, window.name(), start, start + window.millis(),
                published.map(previous -> previous.revision() + 1).orElse(1), current.get().metrics());
        publisher.publish(corrected, newest);
        meters.aggregatePublished(true);
        store.write(List.of(AggregatePoints.of(corrected, window)));
        return Optional.of(corrected);
    }
}
