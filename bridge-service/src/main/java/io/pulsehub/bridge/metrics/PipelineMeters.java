package io.pulsehub.bridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bridge's pipeline meters, named in one place. Prometheus sees them under the names in {@code docs} (dots become
 * underscores, counters end in {@code _total}, times are in seconds); {@link PipelineReporter} writes the same
 * numbers to InfluxDB. The stream gauges show the last sample, so a scrape never waits on Redis.
 */
@Singleton
public class PipelineMeters {

    static final String PREFIX = "pulsehub.bridge.";
    /** Percentiles over about the last 30 s: the window Micrometer rotates through, in three 10 s steps. */
    private static final Duration PERCENTILE_WINDOW = Duration.ofSeconds(30);
    private static final double P99 = 0.99;

    /** One sample of the consumer group's lag and the dead letters; -1 members when the sample failed. */
    record LagSample(long pending, long undelivered, long oldestPendingAgeMillis, long deadLetters) {

        static final LagSample UNKNOWN = new LagSample(-1, -1, -1, -1);

        boolean known() {
            return pending >= 0;
        }
    }

    private final Counter entriesConsumed;
    private final Counter pointsWritten;
    private final Counter entriesAcked;
    private final Counter deadLettered;
    private final Counter writeUnavailable;
    private final Counter writeRefused;
    private final Counter aggregatesPublished;
    private final Counter aggregateCorrections;
    private final Counter windowsClosedFromTallies;
    private final Counter windowsClosedByQuery;
    private final Counter commandsPublished;
    private final Counter revocationsPublished;
    private final Timer writeLatency;
    private final DistributionSummary batchSize;
    private final AtomicReference<LagSample> lag = new AtomicReference<>(LagSample.UNKNOWN);

    PipelineMeters(final MeterRegistry registry) {
        entriesConsumed = Counter.builder(PREFIX + "entries.consumed")
                .description("Stream entries read and handled by this bridge (written or dead-lettered)")
                .register(registry);
        pointsWritten = Counter.builder(PREFIX + "points.written")
                .description("Telemetry points InfluxDB accepted").register(registry);
        entriesAcked = Counter.builder(PREFIX + "entries.acked")
                .description("Stream entries acknowledged (XACK) after InfluxDB accepted them or they were "
                        + "dead-lettered").register(registry);
        deadLettered = Counter.builder(PREFIX + "entries.dead.lettered")
                .description("Stream entries this bridge moved to the dead-letter stream").register(registry);
        writeUnavailable = Counter.builder(PREFIX + "influx.write.errors").tag("kind", "unavailable")
                .description("Failed InfluxDB write requests; unavailable ones are retried, refused ones "
                        + "dead-letter their entries").register(registry);
        writeRefused = Counter.builder(PREFIX + "influx.write.errors").tag("kind", "refused")
                .description("Failed InfluxDB write requests; unavailable ones are retried, refused ones "
                        + "dead-letter their entries").register(registry);
        aggregatesPublished = Counter.builder(PREFIX + "aggregates.published").tag("revision", "first")
                .description("Window aggregates published over MQTT").register(registry);
        aggregateCorrections = Counter.builder(PREFIX + "aggregates.published").tag("revision", "correction")
                .description("Window aggregates published over MQTT").register(registry);
        windowsClosedFromTallies = Counter.builder(PREFIX + "windows.closed").tag("statistics", "kept")
                .description("Aggregate windows closed, by where their statistics came from: kept while writing, "
                        + "or queried from InfluxDB (another writer, a restart, readings out of time order)")
                .register(registry);
        windowsClosedByQuery = Counter.builder(PREFIX + "windows.closed").tag("statistics", "queried")
                .description("Aggregate windows closed, by where their statistics came from: kept while writing, "
                        + "or queried from InfluxDB (another writer, a restart, readings out of time order)")
                .register(registry);
        commandsPublished = Counter.builder(PREFIX + "commands.published")
                .description("Device commands the broker accepted from the HTTP API").register(registry);
        revocationsPublished = Counter.builder(PREFIX + "revocations.published")
                .description("Credential revocations announced to the brokers").register(registry);
        writeLatency = Timer.builder(PREFIX + "influx.write")
                .description("Successful InfluxDB write requests of telemetry batches")
                .publishPercentiles(0.5, P99)
                .publishPercentileHistogram()
                .distributionStatisticExpiry(PERCENTILE_WINDOW)
                .distributionStatisticBufferLength(3)
                .register(registry);
        batchSize = DistributionSummary.builder(PREFIX + "batch.size")
                .description("Stream entries per batch read from Redis").register(registry);
        Gauge.builder(PREFIX + "stream.pending", lag, sample -> orNaN(sample.get().pending()))
                .description("Entries delivered to a consumer of the group and not acknowledged yet")
                .register(registry);
        Gauge.builder(PREFIX + "stream.undelivered", lag, sample -> orNaN(sample.get().undelivered()))
                .description("Entries no consumer of the group has read yet").register(registry);
        Gauge.builder(PREFIX + "stream.backlog", lag, sample -> sample.get().known()
                        ? sample.get().pending() + sample.get().undelivered() : Double.NaN)
                .description("Entries not written to InfluxDB yet: pending plus undelivered").register(registry);
        TimeGauge.builder(PREFIX + "stream.oldest.pending.age", lag, TimeUnit.MILLISECONDS,
                        sample -> orNaN(sample.get().oldestPendingAgeMillis()))
                .description("Age of the oldest entry not written yet (pending or undelivered); 0 when none")
                .register(registry);
        Gauge.builder(PREFIX + "dlq.entries", lag, sample -> orNaN(sample.get().deadLetters()))
                .description("Entries in the dead-letter stream").register(registry);
    }

    private static double orNaN(final long value) {
        return value < 0 ? Double.NaN : value;
    }

    /** A batch read from the streams, before it is written. */
    public void batchRead(final int entries) {
        batchSize.record(entries);
        entriesConsumed.increment(entries);
    }

    public void written(final int points, final long nanos) {
        writeLatency.record(nanos, TimeUnit.NANOSECONDS);
        pointsWritten.increment(points);
    }

    /** @param refused InfluxDB refused the points themselves, as opposed to being unreachable or failing */
    public void writeFailed(final boolean refused) {
        (refused ? writeRefused : writeUnavailable).increment();
    }

    public void settled(final int acknowledged, final int deadLetters) {
        entriesAcked.increment(acknowledged);
        deadLettered.increment(deadLetters);
    }

    public void aggregatePublished(final boolean correction) {
        (correction ? aggregateCorrections : aggregatesPublished).increment();
    }

    /** @param kept whether the statistics were kept while writing rather than queried from InfluxDB */
    public void windowClosed(final boolean kept) {
        (kept ? windowsClosedFromTallies : windowsClosedByQuery).increment();
    }

    public void commandPublished() {
        commandsPublished.increment();
    }

    public void revocationPublished() {
        revocationsPublished.increment();
    }

    void lagSampled(final LagSample sample) {
        lag.set(sample);
    }

    /** Running totals since start, for the reporter's per-interval numbers. */
    record Totals(long entriesConsumed, long pointsWritten, long acked, long deadLettered, long writes,
                  double writeMillis, long writeErrors, long aggregatesPublished, long commandsPublished,
                  long batches, double batchEntries) {
    }

    Totals totals() {
        return new Totals((long) entriesConsumed.count(), (long) pointsWritten.count(), (long) entriesAcked.count(),
                (long) deadLettered.count(), writeLatency.count(), writeLatency.totalTime(TimeUnit.MILLISECONDS),
                (long) (writeUnavailable.count() + writeRefused.count()),
                (long) (aggregatesPublished.count() + aggregateCorrections.count()),
                (long) commandsPublished.count(), batchSize.count(), batchSize.totalAmount());
    }

    /** The 99th percentile of the write latency over about the last 30 s, in ms; 0 without writes. */
    double writeLatencyP99Millis() {
        for (final ValueAtPercentile value : writeLatency.takeSnapshot().percentileValues()) {
            if (value.percentile() == P99) {
                return value.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    LagSample lag() {
        return lag.get();
    }
}
