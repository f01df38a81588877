package io.pulsehub.simulator.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Counts and latencies of all devices' publishes, updated from every client's callback thread. */
final class PublishStats {

    /** Distinct failure reasons kept for the summary; more would only repeat the same story. */
    private static final int MAX_REASONS = 20;

    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    /** Microseconds from handing the publish to Paho until it completed (PUBACK, PUBCOMP, or written for QoS 0). */
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);
    private final AtomicLong lastCompletionNanos = new AtomicLong();
    private final LongAdder buffered = new LongAdder();
    private final LongAdder uploaded = new LongAdder();
    private final LongAdder uploadPublishes = new LongAdder();
    /** {@link System#nanoTime()} from which publishes count towards the latencies. */
    private volatile long latencyFromNanos = Long.MIN_VALUE;

    void sent() {
        sent.increment();
    }

    /** Takes back a {@link #sent()} whose publish the client did not accept after all. */
    void unsent() {
        sent.decrement();
    }

    /** Latencies of publishes sent before {@code nanoTime} are not recorded; counts still are. */
    void recordLatenciesFrom(final long nanoTime) {
        latencyFromNanos = nanoTime;
    }

    void acknowledged(final long publishedNanos) {
        final long now = System.nanoTime();
        if (latencyFromNanos == Long.MIN_VALUE || publishedNanos - latencyFromNanos >= 0) {
            latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - publishedNanos)));
        }
        acked.increment();
        completed(now);
    }

    void refused(final String reason) {
        refused.increment();
        countReason(reason);
        completed(System.nanoTime());
    }

    void failed(final String reason) {
        failed.increment();
        countReason(reason);
        completed(System.nanoTime());
    }

    private void countReason(final String reason) {
        final LongAdder count = reasons.size() < MAX_REASONS
                ? reasons.computeIfAbsent(reason, r -> new LongAdder())
                : reasons.get(reason);
        if (count != null) {
            count.increment();
        }
    }

    private void completed(final long nowNanos) {
        lastCompletionNanos.accumulateAndGet(nowNanos, Math::max);
    }

    /** A reading taken while its device was offline. */
    void buffered() {
        buffered.increment();
    }

    void uploadSent() {
        uploadPublishes.increment();
    }

    /** The hub acknowledged an array publish of buffered readings. */
    void uploaded(final int readings) {
        uploaded.add(readings);
    }

    RunResult.OfflineCounts offlineCounts() {
        return new RunResult.OfflineCounts(buffered.sum(), uploaded.sum(), uploadPublishes.sum());
    }

    long sentCount() {
        return sent.sum();
    }

    long ackedCount() {
        return acked.sum();
    }

    long failedCount() {
        return refused.sum() + failed.sum();
    }

    /** 0 when nothing completed yet. */
    long lastCompletionNanos() {
        return lastCompletionNanos.get();
    }

    long refusedCount() {
        return refused.sum();
    }

    long errorCount() {
        return failed.sum();
    }

    Map<String, Long> reasons() {
        final Map<String, Long> counts = new TreeMap<>();
        reasons.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    Histogram latencyMicros() {
        return latencyMicros.copy();
    }
}
