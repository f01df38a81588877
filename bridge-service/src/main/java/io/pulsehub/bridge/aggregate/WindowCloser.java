package io.pulsehub.bridge.aggregate;

import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.bridge.metrics.PipelineMeters;
import io.pulsehub.contract.Aggregate;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Closes a window: takes the statistics of every device's readings in it, publishes each device's aggregate and
 * stores it for Grafana. The statistics come from what this instance kept while writing ({@link WindowTallies}) when
 * that is all InfluxDB holds for the window, else (another writer, a restart, readings out of time order) from an
 * InfluxDB query of the raw points, which gives the same numbers for the same points. Publishing comes before storing
 * so that a stored aggregate has always been published; a failure anywhere leaves the window open, and closing it
 * again gives the same messages.
 */
final class WindowCloser {

    private static final Logger log = LoggerFactory.getLogger(WindowCloser.class);
    /** More devices out of time order than this are read with one query of the whole window. */
    private static final int MAX_DEVICES_QUERIED_BY_NAME = 50;

    private final TelemetryStore store;
    private final AggregatePublisher publisher;
    private final PipelineMeters meters;
    private final WindowTallies tallies;
    private final WindowProgress progress;

    WindowCloser(final TelemetryStore store, final AggregatePublisher publisher, final PipelineMeters meters,
                 final WindowTallies tallies, final WindowProgress progress) {
        this.store = store;
        this.publisher = publisher;
        this.meters = meters;
        this.tallies = tallies;
        this.progress = progress;
    }

    /** @return the aggregates published, one per device with readings in the window */
    List<Aggregate> close(final AggregateWindow window, final long start) throws AggregatePublishException {
        final long started = System.nanoTime();
        final Statistics statistics = statistics(window, start);
        final List<Aggregate> aggregates = statistics.aggregates();
        final long counted = System.nanoTime();
        publisher.publishAll(aggregates);
        final List<Point> points = new ArrayList<>(aggregates.size());
        for (final Aggregate aggregate : aggregates) {
            meters.aggregatePublished(false);
            points.add(AggregatePoints.of(aggregate, window));
        }
        log.debug("Window {} starting {}: statistics {} {} ms, {} publications {} ms", window.name(), start,
                statistics.kept() ? "kept" : "queried", (counted - started) / 1_000_000, aggregates.size(),
                (System.nanoTime() - counted) / 1_000_000);
        store.write(points);
        meters.windowClosed(statistics.kept());
        return aggregates;
    }

    /** @param kept whether they came from this instance's tallies (with at most a few devices queried) */
    private record Statistics(List<Aggregate> aggregates, boolean kept) {
    }

    private Statistics statistics(final AggregateWindow window, final long start) {
        final Optional<WindowTallies.Kept> kept = tallies.kept(window, start);
        if (kept.isEmpty() || !Set.of(tallies.writerId()).equals(progress.writers(window, start))) {
            return new Statistics(query(window, start, List.of()), false);
        }
        final Set<String> needQuery = kept.get().needQuery();
        if (needQuery.isEmpty()) {
            return new Statistics(kept.get().aggregates(), true);
        }
        if (needQuery.size() > MAX_DEVICES_QUERIED_BY_NAME) {
            return new Statistics(query(window, start, List.of()), false);
        }
        final List<Aggregate> aggregates = new ArrayList<>(kept.get().aggregates());
        aggregates.addAll(query(window, start, needQuery));
        aggregates.sort(Comparator.comparing(Aggregate::device));
        return new Statistics(aggregates, true);
    }

    /** @param deviceIds only these devices, or all when empty */
    private List<Aggregate> query(final AggregateWindow window, final long start, final Collection<String> deviceIds) {
        return AggregateRows.fromWindowQuery(
                store.query(AggregateRows.windowQuery(start, start + window.millis(), deviceIds)), window, start, 0);
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
        final String query = AggregateRows.windowQuery(start, start + window.millis(), List.of(deviceId));
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
