package io.pulsehub.bridge.stream;

import io.micronaut.context.annotation.Context;
import io.pulsehub.bridge.aggregate.LateReadings;
import io.pulsehub.bridge.aggregate.WindowTallies;
import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.bridge.metrics.PipelineMeters;
import io.pulsehub.contract.StreamLayout;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.influxdb.InfluxDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns this instance's consumer of the telemetry group. It reads every partition, writes each
 * batch to InfluxDB in one request and acknowledges the entries only after InfluxDB accepted them. While InfluxDB
 * fails it retries the same batch and reads nothing new, so memory stays bounded and nothing is acknowledged
 * unwritten. On start it first finishes its own pending entries (a crash's leftovers); it regularly takes over
 * entries that a dead consumer left pending, and trims what the group has acknowledged.
 *
 * <p>While the streams hold more than a read takes, the InfluxDB request of a batch runs on a writer thread while this
 * thread reads and decodes the next batch, so that the two overlap instead of adding up; when the bridge keeps up,
 * it waits for each write before reading again. At most one batch is being written and one more read; a
 * batch is acknowledged only after its own request was answered 2xx, and before its own pending entries are read
 * again (after a claim) the batch being written is settled first, so that no entry is ever handled twice at once.
 */
@Context
class TelemetryConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TelemetryConsumer.class);
    /**
     * How long a read waits for new entries. Short, because on a quiet hub the watermark moves only when a read
     * returns, so a window closes up to about this long after it could ({@link IngestWatermark}); an empty read
     * costs Redis next to nothing. Far below the Redis client's socket timeout (2 s), so a blocked read never looks
     * like a dead connection.
     */
    static final int BLOCK_MILLIS = 100;
    private static final long SHUTDOWN_GRACE_MILLIS = 10_000;
    /** {@link #settle}'s answer when stopping left the batch unacknowledged. */
    private static final long STOPPED = Long.MIN_VALUE;
    /** No batch was settled in this step. */
    private static final long NONE_SETTLED = Long.MIN_VALUE + 1;

    /** A batch whose points the writer thread is writing; {@code written} is false when stopping interrupted it. */
    private record InFlight(EntryBatch batch, Future<Boolean> written) {
    }

    private final TelemetryStreams streams;
    private final TelemetryStore store;
    private final IngestWatermark watermark;
    private final LateReadings lateReadings;
    private final WindowTallies tallies;
    private final PipelineMeters meters;
    private final int batchSize;
    private final int maxDeliveries;
    private final long claimIdleMillis;
    private final long claimIntervalMillis;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private final ExecutorService writer;

    private volatile boolean running = true;
    private boolean readingOwnPending = true;
    private boolean isolating;
    private boolean groupsReady;
    /** Set by the writer thread too. */
    private volatile boolean databaseReady;
    private InFlight inFlight;
    private long nextClaimAt;
    private long nextTrimAt;

    TelemetryConsumer(final UnifiedJedis redis, final TelemetryStore store, final IngestWatermark watermark,
                      final WindowTallies tallies, final PipelineMeters meters, final BridgeConfig config) {
        this.streams = new TelemetryStreams(redis, config.streams(), config.consumerName());
        this.store = store;
        this.watermark = watermark;
        this.meters = meters;
        this.lateReadings = new LateReadings(config.windows(), config.latenessMillis());
        this.tallies = tallies;
        this.batchSize = config.batchSize();
        this.maxDeliveries = config.maxDeliveries();
        this.claimIdleMillis = config.claimIdleMillis();
        // Claiming and trimming share one rhythm: half the claim idle time, at most 10 s.
        this.claimIntervalMillis = Math.max(100, Math.min(config.claimIdleMillis() / 2, 10_000));
        this.thread = new Thread(this, "pulsehub-stream-consumer");
        this.writer = Executors.newSingleThreadExecutor(task -> new Thread(task, "pulsehub-influx-writer"));
        log.info("Stream consumer '{}' of group {} on {} partitions", config.consumerName(),
                StreamLayout.CONSUMER_GROUP, config.streams().partitions());
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    /** Bounded: a batch in flight stays unacknowledged and is redelivered to this consumer on its next start. */
    @PreDestroy
    void stop() {
        running = false;
        stopping.countDown();
        try {
            thread.join(SHUTDOWN_GRACE_MILLIS);
            if (thread.isAlive()) {
                log.warn("Stream consumer did not stop within {} ms; interrupting it", SHUTDOWN_GRACE_MILLIS);
                thread.interrupt();
                thread.join(SHUTDOWN_GRACE_MILLIS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            writer.shutdownNow();
        }
    }

    @Override
    public void run() {
        final Backoff backoff = new Backoff();
        while (running) {
            try {
                step();
                if (backoff.failures() > 0) {
                    log.info("Stream consumer recovered after {} failed attempts", backoff.failures());
                    backoff.reset();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (final RuntimeException e) {
                groupsReady = false;
                final long delay = backoff.nextDelayMillis();
                if (backoff.worthWarning()) {
                    log.warn("Stream consumer: {}; retrying in {} ms", describe(e), delay);
                }
                log.debug("Stream consumer failure", e);
                try {
                    if (!pause(delay)) {
                        return;
                    }
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void step() throws InterruptedException {
        if (!groupsReady) {
            streams.ensureGroups();
            groupsReady = true;
        }
        ensureDatabase();
        final long now = System.currentTimeMillis();
        if (now >= nextClaimAt) {
            nextClaimAt = now + claimIntervalMillis;
            final long claimed = streams.claimIdle(claimIdleMillis, batchSize);
            if (claimed > 0) {
                log.info("Took over {} entries left pending for over {} ms by another consumer", claimed,
                        claimIdleMillis);
                readingOwnPending = true;
            }
        }
        if (now >= nextTrimAt) {
            nextTrimAt = now + claimIntervalMillis;
            final long trimmed = streams.trimAcknowledged();
            log.debug("Trimmed {} acknowledged entries", trimmed);
        }
        if (readingOwnPending) {
            // The batch being written is pending for this consumer too: it must not be read a second time.
            if (inFlight != null && finishInFlight() == STOPPED) {
                return;
            }
            final TelemetryStreams.OwnPending pending = streams.readOwnPending(batchSize);
            if (pending.deliveries().isEmpty()) {
                readingOwnPending = false;
                isolating = false;
            } else {
                if (pending.isolating() && !isolating) {
                    log.warn("Entries left pending were delivered {}+ times without being acknowledged; handling "
                            + "them one at a time so that only a failing entry goes to the dead letters",
                            TelemetryStreams.ISOLATE_FROM_DELIVERIES);
                } else if (!pending.isolating()) {
                    log.info("Processing {} entries left pending from before", pending.deliveries().size());
                }
                isolating = pending.isolating();
                process(EntryBatch.decode(pending.deliveries(), maxDeliveries));
            }
            return;
        }
        final long readAt = streams.serverTimeMillis();
        // While a batch is being written, a read does not wait for entries: that batch's acknowledgement waits for it.
        final TelemetryStreams.Read read = streams.readNew(batchSize, inFlight == null ? BLOCK_MILLIS : 0);
        final EntryBatch batch = EntryBatch.decode(read.deliveries(), maxDeliveries);
        long oldestPending = NONE_SETTLED;
        if (inFlight != null) {
            oldestPending = finishInFlight();
            if (oldestPending == STOPPED) {
                return;
            }
        }
        if (!batch.isEmpty()) {
            meters.batchRead(batch.size());
            inFlight = new InFlight(batch, writer.submit(() -> writeAll(batch)));
            if (!read.leftEntriesBehind()) {
                // Keeping up: a read now would find next to nothing. Waiting for this write lets the next batch
                // grow instead, so that the bridge and InfluxDB spend less per reading on requests.
                oldestPending = finishInFlight();
                if (oldestPending == STOPPED) {
                    return;
                }
            }
        }
        if (oldestPending == NONE_SETTLED) {
            if (!batch.isEmpty()) {
                return; // the watermark moves once this batch is settled
            }
            oldestPending = streams.backlog().oldestPendingMillis();
        }
        // After every read, drained or not: see IngestWatermark for why this bound is sound. The batch just read, if
        // it is being written, is pending and so counted in oldestPending, which was asked after the read.
        if (oldestPending != TelemetryStreams.PENDING_UNKNOWN) {
            watermark.advanceTo(IngestWatermark.candidate(readAt, read, oldestPending));
        }
    }

    /**
     * Waits for the batch being written and settles it.
     *
     * @return as {@link #settle}
     */
    private long finishInFlight() throws InterruptedException {
        final InFlight current = inFlight;
        final boolean written;
        try {
            written = current.written().get();
        } catch (final ExecutionException e) {
            // Only what writeAll does not expect (an Error) gets here; its entries stay pending and come again.
            inFlight = null;
            readingOwnPending = true;
            throw new IllegalStateException("writing a batch failed", e.getCause());
        }
        inFlight = null;
        return written ? settle(current.batch()) : STOPPED;
    }

    /** Writes and settles a non-empty batch on this thread. */
    private long process(final EntryBatch batch) throws InterruptedException {
        meters.batchRead(batch.size());
        return writeAll(batch) ? settle(batch) : STOPPED;
    }

    /**
     * Counts a batch whose points InfluxDB accepted into the windows' tallies and acknowledges it, with its dead
     * letters and marks.
     *
     * @return the oldest entry pending in the group once the batch was acknowledged ({@link TelemetryStreams#settle}),
     *         or {@link #STOPPED} when stopping left the batch unacknowledged
     */
    private long settle(final EntryBatch batch) throws InterruptedException {
        // Before the acks: a window closes on the watermark they move, and must find these readings counted.
        batch.tally(tallies);
        final SetMarks marks = batch.marks(lateReadings, tallies);
        final Backoff backoff = new Backoff();
        while (true) {
            try {
                final long oldestPending = streams.settle(batch.acks(), batch.deadLetters(), marks);
                meters.settled(batch.size(), batch.deadLetters().size());
                if (!batch.deadLetters().isEmpty()) {
                    batch.deadLetters().forEach(dead -> log.warn("Entry {} of {} moved to {}: {}",
                            dead.delivery().id(), dead.delivery().stream(),
                            StreamLayout.DEAD_LETTER_STREAM, dead.reason()));
                }
                return oldestPending;
            } catch (final RuntimeException e) {
                // The points are written; writing them again after a redelivery would only rewrite them, but
                // retrying the ack here spares that.
                final long delay = backoff.nextDelayMillis();
                if (backoff.worthWarning()) {
                    log.warn("Acknowledging {} entries failed: {}; retrying in {} ms", batch.size(), describe(e),
                            delay);
                }
                log.debug("Acknowledge failure", e);
                if (!pause(delay)) {
                    return STOPPED;
                }
            }
        }
    }

    private boolean writeAll(final EntryBatch batch) throws InterruptedException {
        final Backoff backoff = new Backoff();
        while (true) {
            try {
                ensureDatabase();
                write(batch.lines(), batch.pointCount());
                return true;
            } catch (final RuntimeException e) {
                if (TelemetryStore.refusesThePoints(e)) {
                    return writeOneByOne(batch);
                }
                if (!retryAfter(e, backoff, batch.size())) {
                    return false;
                }
            }
        }
    }

    /** InfluxDB refused the batch for its content: find the entries it refuses and dead-letter only those. */
    private boolean writeOneByOne(final EntryBatch batch) throws InterruptedException {
        for (final EntryBatch.Decoded entry : batch.decoded()) {
            final Backoff backoff = new Backoff();
            while (true) {
                try {
                    write(entry.lines(), entry.readings().size());
                    break;
                } catch (final RuntimeException e) {
                    if (TelemetryStore.refusesThePoints(e)) {
                        batch.refuse(entry, "InfluxDB refused the points: " + e.getMessage());
                        break;
                    }
                    if (!retryAfter(e, backoff, 1)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Every telemetry write goes through here, so that its latency and outcome are measured. */
    private void write(final String lines, final int points) {
        if (points == 0) {
            return;
        }
        final long started = System.nanoTime();
        try {
            store.writeLines(lines);
        } catch (final RuntimeException e) {
            meters.writeFailed(TelemetryStore.refusesThePoints(e));
            throw e;
        }
        meters.written(points, System.nanoTime() - started);
    }

    private boolean retryAfter(final RuntimeException e, final Backoff backoff, final int entries)
            throws InterruptedException {
        if (e instanceof InfluxDBException.DatabaseNotFoundException) {
            databaseReady = false;
        }
        final long delay = backoff.nextDelayMillis();
        if (backoff.worthWarning()) {
            log.warn("Writing {} entries to InfluxDB failed: {}; retrying in {} ms", entries, describe(e), delay);
        }
        log.debug("InfluxDB write failure", e);
        return pause(delay);
    }

    private void ensureDatabase() {
        if (!databaseReady) {
            store.ensureDatabase();
            databaseReady = true;
        }
    }

    /** @return false when the consumer is stopping */
    private boolean pause(final long millis) throws InterruptedException {
        return !stopping.await(millis, TimeUnit.MILLISECONDS) && running;
    }

    private static String describe(final Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
