package io.pulsehub.bridge.stream;

import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Redis time (epoch ms) below which every telemetry entry that entered Redis has been written to InfluxDB, by
 * this consumer or by any other of the group: every entry whose id has a smaller millisecond part is acknowledged.
 * Windows ending (plus lateness) at or before it may be aggregated.
 *
 * <p>It advances after every read of new entries, not only after a read that emptied the streams, which a bridge
 * under sustained load never does. The candidate after a read is the smallest of:
 * <ul>
 *     <li>for a stream the read returned fewer entries than asked for (or none): {@code readAt}, the Redis time taken
 *     just before the read. The stream had no undelivered entry when the read was served, so every entry that
 *     existed then was delivered; an entry with a time below {@code readAt} existed then, since Redis gives a new
 *     entry the current time (or more) as its id. An entry added in the very millisecond of {@code readAt} may
 *     follow the read, so {@code readAt} itself is not covered: the bound is exclusive. A blocking read that timed
 *     out empty covers its wait too, {@code readAt + BLOCK}: Redis started the wait no earlier than {@code readAt}
 *     and would have answered it with any entry added to these streams meanwhile (an entry another consumer of the
 *     group took instead is pending, the third bound), and an entry added after it timed out gets a time from then
 *     on. Without this a quiet hub closed a window up to two reads late, not one.</li>
 *     <li>for a stream the read returned a full count from: the millisecond part of the last entry returned. The
 *     group delivers a stream's entries in id order, so every entry up to that id was delivered, to this consumer or
 *     an earlier reader of the group; entry ids only grow within a stream. The entries with a smaller time are all
 *     up to that id; one with the same time may still come after it (a larger sequence number), hence exclusive
 *     again. This consumer's own last id is used, not XINFO GROUPS' {@code last-delivered-id}: that one is
 *     group-wide and may be larger, which would also be sound with the pending entries below, but it costs a round
 *     trip and must be read before them to be.</li>
 *     <li>the oldest entry pending in the group after this read's batch was settled: delivered (to any consumer,
 *     this one included) and not acknowledged, so not written. Everything delivered before the acknowledgements of
 *     this batch and not acknowledged by the time of that question is pending then, so the smaller of it and the
 *     bounds above leaves no unwritten entry below the watermark.</li>
 * </ul>
 * Claimed, redelivered and dead-lettered entries need no case of their own: they are pending until acknowledged,
 * and a dead letter is acknowledged only once it is in the dead-letter stream.
 *
 * <p>The aggregation loop waits on it ({@link #awaitReaching}) so that a window closes as soon as the watermark
 * passes its end plus the lateness, not at its next poll.
 */
@Singleton
public class IngestWatermark {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile long millis = -1;

    /** -1 until the stream loop first settled a read. */
    public long millis() {
        return millis;
    }

    /**
     * Waits until the watermark is at least {@code target}, for at most {@code timeoutMillis}.
     *
     * @return whether it got there
     */
    public boolean awaitReaching(final long target, final long timeoutMillis) throws InterruptedException {
        if (millis >= target) {
            return true;
        }
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (millis < target) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Only ever moves forward. */
    void advanceTo(final long candidate) {
        if (candidate <= millis) {
            return;
        }
        lock.lock();
        try {
            if (candidate > millis) {
                millis = candidate;
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The watermark a read of new entries allows once its batch is settled (see the class comment).
     *
     * @param readAt              the Redis time taken before the read
     * @param oldestPendingMillis the oldest entry pending in the group after the batch was settled, -1 when none
     */
    static long candidate(final long readAt, final TelemetryStreams.Read read, final long oldestPendingMillis) {
        long candidate = read.drainedSome() ? readAt + read.waitedOutMillis() : Long.MAX_VALUE;
        candidate = Math.min(candidate, read.lastOfFullStreamsMillis());
        return oldestPendingMillis < 0 ? candidate : Math.min(candidate, oldestPendingMillis);
    }
}
