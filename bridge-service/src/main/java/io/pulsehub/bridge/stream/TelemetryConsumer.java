package io.pulsehub.bridge.stream;

import io.micronaut.context.annotation.Context;
import io.pulsehub.bridge.aggregate.LateReadings;
import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.bridge.metrics.PipelineMeters;
import io.pulsehub.contract.StreamLayout;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns this instance's consumer of the telemetry group. It reads every partition, writes each
 * batch to InfluxDB in one request and acknowledges the entries only after InfluxDB accepted them. While InfluxDB
 * fails it retries the same batch and reads nothing new, so memory stays bounded and nothing is acknowledged
 * unwritten. On start it first finishes its own pending entries (a crash's leftovers); it regularly takes over
 * entries that a dead consumer left pending, and trims what the group has acknowledged.
 */
@Context
class TelemetryConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TelemetryConsumer.class);
    /** Below the Redis client's socket timeout (2 s), so a blocked read never looks like a dead connection. */
    static final int BLOCK_MILLIS = 1000;
    private static final long SHUTDOWN_GRACE_MILLIS = 10_000;

    private final TelemetryStreams streams;
    private final TelemetryStore store;
    private final IngestWatermark watermark;
    private final LateReadings lateReadings;
    private final PipelineMeters meters;
    private final int batchSize;
    private final int maxDeliveries;
    private final long claimIdleMillis;
    private final long claimIntervalMillis;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;

    private volatile boolean running = true;
    private boolean readingOwnPending = true;
    private boolean isolating;
    private boolean groupsReady;
    private boolean databaseReady;
    private long nextClaimAt;
    private long nextTrimAt;

    TelemetryConsumer(final UnifiedJedis redis, final TelemetryStore store, final IngestWatermark watermark,
                      final PipelineMeters meters, final BridgeConfig config) {
        this.streams = new TelemetryStreams(redis, config.streams(), config.consumerName());
        this.store = store;
        this.watermark = watermark;
        this.meters = meters;
        this.lateReadings = new LateReadings(config.windows(), config.latenessMillis());
        this.batchSize = config.batchSize();
        this.maxDeliveries = config.maxDeliveries();
        this.claimIdleMillis = config.claimIdleMillis();
        // Claiming and trimming share one rhythm: half the claim idle time, at most 10 s.
        this.claimIntervalMillis = Math.max(100, Math.min(config.claimIdleMillis() / 2, 10_000));
        this.thread = new Thread(this, "pulsehub-stream-consumer");
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
        final TelemetryStreams.Read read = streams.readNew(batchSize, BLOCK_MILLIS);
        if (!process(EntryBatch.decode(read.deliveries(), maxDeliveries))) {
            return;
        }
        if (read.drained()) {
            // Everything that entered Redis before readAt was delivered by now; what no consumer has acknowledged
            // yet is still pending, so the oldest pending entry bounds the watermark too.
            final long oldestPending = streams.backlog().oldestPendingMillis();
            watermark.advanceTo(oldestPending < 0 ? readAt : Math.min(readAt, oldestPending));
        }
    }

    /** @return false when stopping left the batch unacknowledged */
    private boolean process(final EntryBatch batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return true;
        }
        meters.batchRead(batch.size());
        if (!writeAll(batch)) {
            return false;
        }
        final Backoff backoff = new Backoff();
        while (true) {
            try {
                streams.settle(batch.acks(), batch.deadLetters(), batch.lateMarks(lateReadings));
                meters.settled(batch.size(), batch.deadLetters().size());
                if (!batch.deadLetters().isEmpty()) {
                    batch.deadLetters().forEach(dead -> log.warn("Entry {} of {} moved to {}: {}",
                            dead.delivery().id(), dead.delivery().stream(),
                            StreamLayout.DEAD_LETTER_STREAM, dead.reason()));
                }
                return true;
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
                    return false;
                }
            }
        }
    }

    private boolean writeAll(final EntryBatch batch) throws InterruptedException {
        final Backoff backoff = new Backoff();
        while (true) {
            try {
                ensureDatabase();
                write(batch.points());
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
                    write(entry.points());
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
    private void write(final List<Point> points) {
        if (points.isEmpty()) {
            return;
        }
        final long started = System.nanoTime();
        try {
            store.write(points);
        } catch (final RuntimeException e) {
            meters.writeFailed(TelemetryStore.refusesThePoints(e));
            throw e;
        }
        meters.written(points.size(), System.nanoTime() - started);
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
