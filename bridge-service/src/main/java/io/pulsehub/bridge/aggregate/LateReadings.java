package io.pulsehub.bridge.aggregate;

import io.pulsehub.contract.Reading;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the readings that may reach InfluxDB after their window was closed, e.g. an offline device's buffered upload.
 * A window closes once the ingest watermark passes its end plus the lateness, and the watermark stays at or below the
 * Redis time of every entry not yet acknowledged. So only a reading whose window ended at least the lateness before
 * its entry entered Redis can be late; those are marked for re-aggregation, and the marks of windows that turn out
 * not to be closed yet are simply dropped.
 */
public final class LateReadings {

    private final List<AggregateWindow> windows;
    private final long latenessMillis;

    public LateReadings(final List<AggregateWindow> windows, final long latenessMillis) {
        this.windows = List.copyOf(windows);
        this.latenessMillis = latenessMillis;
    }

    /**
     * @param entryMillis the millisecond part of the stream entry id: when the entry entered Redis
     * @param marks       receives, per Redis key ({@link AggregateKeys#late}), the members to add
     */
    public void collect(final String deviceId, final List<Reading> readings, final long entryMillis,
                        final Map<String, Set<String>> marks) {
        for (final AggregateWindow window : windows) {
            for (final Reading reading : readings) {
                final long start = window.startOf(reading.epochMillis());
                if (start + window.millis() + latenessMillis <= entryMillis) {
                    marks.computeIfAbsent(AggregateKeys.late(window), key -> new HashSet<>())
                            .add(AggregateKeys.lateMember(start, deviceId));
                }
            }
        }
    }
}
