package io.pulsehub.bridge.aggregate;

import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;
import io.pulsehub.contract.Reading;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The statistics of the readings this bridge instance wrote to InfluxDB, per window and device, kept until the window
 * closes, so that closing it needs no query of the raw points (which took seconds on a loaded machine).
 *
 * <p>They stand for what InfluxDB holds only when this instance wrote every reading of the window, and wrote each
 * once. The first is told by the window's writers in Redis ({@link AggregateKeys#writers}): the consumer adds this
 * instance's {@link #writerId} with the acknowledgement of every entry it wrote, so once the watermark passed the
 * window's close, a set holding only this instance's id means nobody else wrote to it — not another bridge, not this
 * bridge before a restart. The second is told by the readings themselves: a device's readings must come in strictly
 * increasing time. A reading at or before the device's last one in the window (written twice after a redelivery, or
 * out of order in a buffered upload, which InfluxDB stores as one point or in time order) leaves that device's
 * window to the InfluxDB query ({@link Kept#needQuery}). The sums then add up in the same order as InfluxDB's.
 */
@Singleton
public class WindowTallies {

    /**
     * What this instance kept of one window.
     *
     * @param aggregates one per device whose readings are known exactly, revision 0, sorted by device
     * @param needQuery  devices whose readings came out of time order: their aggregates must come from InfluxDB
     */
    record Kept(List<Aggregate> aggregates, Set<String> needQuery) {
    }

    /** A window's writers are remembered this long past its close; a window still open then is closed by query. */
    private static final long WRITERS_KEPT_AFTER_CLOSE_MILLIS = 10 * 60 * 1000;

    private final List<AggregateWindow> windows;
    private final long latenessMillis;
    private final String writerId;
    /** Guarded by this. Window length, then window start, then device. */
    private final Map<AggregateWindow, TreeMap<Long, Map<String, DeviceTally>>> open = new HashMap<>();
    /** Guarded by this. Per window length, the end at or before which windows are no longer kept. */
    private final Map<AggregateWindow, Long> forgottenUpTo = new HashMap<>();

    @Inject
    WindowTallies(final BridgeConfig config) {
        // Unique per process: after a restart the consumer name is the same, but the tallies are gone.
        this(config.windows(), config.latenessMillis(), config.consumerName() + "/" + UUID.randomUUID());
    }

    public WindowTallies(final List<AggregateWindow> windows, final long latenessMillis, final String writerId) {
        this.windows = List.copyOf(windows);
        this.latenessMillis = latenessMillis;
        this.writerId = writerId;
        for (final AggregateWindow window : this.windows) {
            open.put(window, new TreeMap<>());
            forgottenUpTo.put(window, Long.MIN_VALUE);
        }
    }

    public String writerId() {
        return writerId;
    }

    /**
     * Counts readings InfluxDB accepted. Must be called before their entries are acknowledged, so that a window
     * closed on the watermark finds them here.
     */
    public synchronized void add(final String deviceId, final List<Reading> readings) {
        for (final AggregateWindow window : windows) {
            final long forgotten = forgottenUpTo.get(window);
            final TreeMap<Long, Map<String, DeviceTally>> starts = open.get(window);
            for (final Reading reading : readings) {
                final long start = window.startOf(reading.epochMillis());
                if (start + window.millis() > forgotten) {
                    starts.computeIfAbsent(start, key -> new HashMap<>())
                            .computeIfAbsent(deviceId, key -> new DeviceTally())
                            .add(reading);
                }
            }
        }
    }

    /**
     * Adds this instance to the writers of every window the readings fall in, to be stored with the acknowledgement
     * of their entries. Called once per batch: its readings mostly share a window, so the key of a window is built
     * once per run of readings in it, not once per reading.
     *
     * @param readingsOfEntries the readings of each written entry of the batch
     * @param members           receives, per Redis key, the members to add
     * @param expiryMillis      receives, per Redis key, how long it is to live
     */
    public void collectWriterMarks(final List<List<Reading>> readingsOfEntries, final Map<String, Set<String>> members,
                                   final Map<String, Long> expiryMillis) {
        for (final AggregateWindow window : windows) {
            long lastStart = Long.MIN_VALUE;
            for (final List<Reading> readings : readingsOfEntries) {
                for (final Reading reading : readings) {
                    final long start = window.startOf(reading.epochMillis());
                    if (start == lastStart) {
                        continue;
                    }
                    lastStart = start;
                    final String key = AggregateKeys.writers(window, start);
                    members.computeIfAbsent(key, k -> new TreeSet<>()).add(writerId);
                    // Counted from now, not from the window: a buffered upload may write to a window long past.
                    expiryMillis.put(key, window.millis() + latenessMillis + WRITERS_KEPT_AFTER_CLOSE_MILLIS);
                }
            }
        }
    }

    /**
     * The window's tallies, or empty when this instance no longer keeps that window (closed or evicted already).
     * Stays kept until {@link #forget}, so that a close that fails can be repeated.
     */
    synchronized Optional<Kept> kept(final AggregateWindow window, final long start) {
        if (start + window.millis() <= forgottenUpTo.get(window)) {
            return Optional.empty();
        }
        final Map<String, DeviceTally> devices = open.get(window).getOrDefault(start, Map.of());
        final List<Aggregate> aggregates = new ArrayList<>(devices.size());
        final Set<String> needQuery = new TreeSet<>();
        for (final Map.Entry<String, DeviceTally> device : new TreeMap<>(devices).entrySet()) {
            if (device.getValue().inTimeOrder) {
                aggregates.add(new Aggregate(device.getKey(), window.name(), start, start + window.millis(), 0,
                        device.getValue().summaries()));
            } else {
                needQuery.add(device.getKey());
            }
        }
        return Optional.of(new Kept(List.copyOf(aggregates), needQuery));
    }

    /** Drops every window of this length ending at or before {@code end}; readings for them are no longer kept. */
    synchronized void forget(final AggregateWindow window, final long end) {
        if (end <= forgottenUpTo.get(window)) {
            return;
        }
        forgottenUpTo.put(window, end);
        open.get(window).headMap(end - window.millis(), true).clear();
    }

    /**
     * Drops every window the watermark allows to close: for an instance that does not close windows (another one
     * leads), so that what it keeps stays bounded. Readings for them come later only as late readings.
     */
    synchronized void forgetClosable(final long watermarkMillis) {
        for (final AggregateWindow window : windows) {
            forget(window, window.startOf(watermarkMillis - latenessMillis));
        }
    }

    /** Windows kept, over all lengths; for tests and debugging. */
    synchronized int windowsKept() {
        return open.values().stream().mapToInt(Map::size).sum();
    }

    /** One device's readings in one window. */
    private static final class DeviceTally {

        private final Map<String, MetricTally> metrics = new HashMap<>(4);
        private long lastNanos = Long.MIN_VALUE;
        private boolean inTimeOrder = true;

        void add(final Reading reading) {
            if (!inTimeOrder) {
                return;
            }
            if (reading.timeNanos() <= lastNanos) {
                inTimeOrder = false;
                metrics.clear();
                return;
            }
            lastNanos = reading.timeNanos();
            for (final Map.Entry<String, Double> metric : reading.metrics().entrySet()) {
                metrics.computeIfAbsent(metric.getKey(), key -> new MetricTally()).add(metric.getValue());
            }
        }

        Map<String, MetricSummary> summaries() {
            final Map<String, MetricSummary> summaries = new TreeMap<>();
            metrics.forEach((name, tally) -> summaries.put(name, tally.summary()));
            return summaries;
        }
    }

    /**
     * One metric's statistics over readings added in time order, computed as InfluxDB computes them over points in
     * time order: the sum starts from the first value (so a lone -0.0 stays -0.0), ties of min and max keep the
     * earliest, last is the latest, mean is sum / count.
     */
    private static final class MetricTally {

        private long count;
        private double sum;
        private double min;
        private double max;
        private double last;

        void add(final double value) {
            if (count == 0) {
                sum = value;
                min = value;
                max = value;
            } else {
                sum += value;
                if (value < min) {
                    min = value;
                }
                if (value > max) {
                    max = value;
                }
            }
            last = value;
            count++;
        }

        MetricSummary summary() {
            return new MetricSummary(count, sum, min, max, sum / count, last);
        }
    }
}
