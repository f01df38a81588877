package io.pulsehub.extension.stream;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.StreamEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Group commit of telemetry: publishers {@link #submit} entries into a bounded queue and return at once; one writer
 * thread drains whatever has queued up (at most the batch size), stores it with one {@link StreamSink} round trip
 * and then completes every entry of the batch. Under load batches grow by themselves, at low load a publish waits
 * for a single round trip only. A full queue is answered immediately, never by blocking the submitting thread.
 */
public final class TelemetryStreamWriter {

    /**
     * Told once what became of a submitted entry, unless it was {@link #abandoned()}. Called on the writer thread;
     * must not block.
     */
    public interface Completion {

        void stored();

        void failed(@NotNull StoreFailure failure, @NotNull String reason);

        /**
         * Whether nobody waits for this entry any more (the publisher already got its answer, e.g. from HiveMQ's
         * timeout). Such an entry is not written: the device sends it again, and writing it too would store it twice.
         */
        default boolean abandoned() {
            return false;
        }
    }

    /** Told the size and Redis round trip of every batch written; called on the writer thread, must not block. */
    public interface BatchRecorder {

        void batchWritten(int size, long roundTripNanos);
    }

    public enum StoreFailure {
        /** Redis could not be reached, timed out or failed the batch. */
        STORAGE_UNAVAILABLE,
        /** Redis answered this one entry with an error. */
        REJECTED,
        /** The extension stopped before the entry was stored. */
        SHUTTING_DOWN
    }

    public enum Admission {
        ACCEPTED,
        QUEUE_FULL,
        STOPPED
    }

    private record Pending(@NotNull StreamEntry entry, @NotNull Completion completion) {
    }

    private static final Logger log = LoggerFactory.getLogger(TelemetryStreamWriter.class);
    private static final long IDLE_POLL_MILLIS = 100;
    static final String SHUTDOWN_REASON = "hub is shutting down; reading not stored";

    private final @NotNull StreamSink sink;
    private final @NotNull BatchRecorder recorder;
    private final int batchSize;
    private final @NotNull BlockingQueue<Pending> queue;
    private final @NotNull Thread thread;
    /** Submitters share the read side; {@link #stop} takes the write side to close admission atomically. */
    private final @NotNull ReadWriteLock admission = new ReentrantReadWriteLock();
    private boolean accepting = true;
    private volatile boolean draining = true;

    public TelemetryStreamWriter(final @NotNull StreamSink sink, final @NotNull BatchRecorder recorder,
                                 final int batchSize, final int queueCapacity) {
        if (batchSize < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("batch size and queue capacity must be positive");
        }
        this.sink = sink;
        this.recorder = recorder;
        this.batchSize = batchSize;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, "pulsehub-stream-writer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues the entry without blocking; the completion is called only if this returns {@code ACCEPTED}. */
    public @NotNull Admission submit(final @NotNull StreamEntry entry, final @NotNull Completion completion) {
        admission.readLock().lock();
        try {
            if (!accepting) {
                return Admission.STOPPED;
            }
            return queue.offer(new Pending(entry, completion)) ? Admission.ACCEPTED : Admission.QUEUE_FULL;
        } finally {
            admission.readLock().unlock();
        }
    }

    /** Entries waiting for the writer. */
    public int queued() {
        return queue.size();
    }

    /**
     * Stops taking entries, lets the writer store what is queued for at most {@code grace}, then fails whatever is
     * still waiting with {@link StoreFailure#SHUTTING_DOWN}. A batch already in flight finishes with the sink's
     * own timeout.
     */
    public void stop(final @NotNull Duration grace) {
        closeAdmission();
        draining = false;
        try {
            thread.join(grace.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }

    private void closeAdmission() {
        admission.writeLock().lock();
        try {
            accepting = false;
        } finally {
            admission.writeLock().unlock();
        }
    }

    private void failQueued() {
        final List<Pending> abandoned = new ArrayList<>();
        queue.drainTo(abandoned);
        if (!abandoned.isEmpty()) {
            log.warn("{} readings were still queued at shutdown and are refused", abandoned.size());
        }
        for (final Pending pending : abandoned) {
            complete(pending, StoreFailure.SHUTTING_DOWN, SHUTDOWN_REASON);
        }
    }

    private void run() {
        final List<Pending> batch = new ArrayList<>(batchSize);
        while (true) {
            final Pending first;
            try {
                first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                // Nothing interrupts this thread on purpose; if something does, stop cleanly rather than leave
                // publishes waiting for HiveMQ's timeout.
                log.warn("stream writer interrupted; refusing further readings");
                closeAdmission();
                failQueued();
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (!draining) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, batchSize - 1);
            batch.removeIf(TelemetryStreamWriter::isAbandoned);
            if (!batch.isEmpty()) {
                write(batch);
            }
            batch.clear();
        }
    }

    private void write(final @NotNull List<Pending> batch) {
        final List<StreamEntry> entries = new ArrayList<>(batch.size());
        for (final Pending pending : batch) {
            entries.add(pending.entry());
        }
        final List<EntryResult> results;
        final long startNanos = System.nanoTime();
        try {
            results = sink.append(entries);
        } catch (final RuntimeException e) {
            log.warn("storing a batch of {} readings failed: {}", batch.size(), e.toString());
            log.debug("batch failure", e);
            for (final Pending pending : batch) {
                complete(pending, StoreFailure.STORAGE_UNAVAILABLE, "storage unavailable; reading not stored");
            }
            return;
        } finally {
            record(batch.size(), System.nanoTime() - startNanos);
        }
        if (results.size() != batch.size()) {
            log.error("sink answered {} results for {} readings; treating all as not stored", results.size(),
                    batch.size());
            for (final Pending pending : batch) {
                complete(pending, StoreFailure.STORAGE_UNAVAILABLE, "storage answered inconsistently");
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            final EntryResult result = results.get(i);
            if (result.isStored()) {
                completeStored(batch.get(i));
            } else {
                log.warn("Redis refused a reading of device '{}': {}", batch.get(i).entry().deviceId(),
                        result.error());
                complete(batch.get(i), StoreFailure.REJECTED, "storage refused the reading");
            }
        }
    }

    /** Metrics must never cost a publish its answer. */
    private void record(final int size, final long roundTripNanos) {
        try {
            recorder.batchWritten(size, roundTripNanos);
        } catch (final RuntimeException e) {
            log.debug("recording batch metrics failed: {}", e.toString());
        }
    }

    private static boolean isAbandoned(final @NotNull Pending pending) {
        try {
            if (pending.completion().abandoned()) {
                log.debug("skipping a reading of device '{}' whose publisher no longer waits",
                        pending.entry().deviceId());
                return true;
            }
            return false;
        } catch (final RuntimeException e) {
            log.debug("cannot tell whether a reading is abandoned: {}", e.toString());
            return false;
        }
    }

    /** A completion that throws must cost only its own publish, never the writer thread. */
    private static void completeStored(final @NotNull Pending pending) {
        try {
            pending.completion().stored();
        } catch (final RuntimeException e) {
            log.warn("completing a stored reading failed: {}", e.toString());
            log.debug("completion failure", e);
        }
    }

    private static void complete(final @NotNull Pending pending, final @NotNull StoreFailure failure,
                                 final @NotNull String reason) {
        try {
            pending.completion().failed(failure, reason);
        } catch (final RuntimeException e) {
            log.warn("completing a failed reading failed: {}", e.toString());
            log.debug("completion failure", e);
        }
    }
}
