package io.pulsehub.extension.stream;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.StreamLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures the telemetry backlog (XLEN summed over the partitions, one pipelined round trip) on a schedule and says
 * whether it has reached the high-water mark. Publishes only read the last sample: the check costs nothing per
 * publish, at the price of overshooting the mark by what arrives within one interval. A failed sample keeps the
 * previous verdict; if Redis is down, the writer refuses readings anyway.
 */
public final class BacklogMonitor {

    private static final Logger log = LoggerFactory.getLogger(BacklogMonitor.class);

    private final @NotNull RedisClient redis;
    private final @NotNull List<String> streams;
    private final long highWaterMark;
    private volatile long backlog;
    private volatile boolean full;
    private volatile ScheduledFuture<?> sampling;

    public BacklogMonitor(final @NotNull RedisClient redis, final @NotNull StreamLayout layout,
                          final long highWaterMark) {
        this.redis = redis;
        this.highWaterMark = highWaterMark;
        final List<String> keys = new ArrayList<>(layout.partitions());
        for (int partition = 0; partition < layout.partitions(); partition++) {
            keys.add(layout.streamKey(partition));
        }
        this.streams = List.copyOf(keys);
    }

    public void start(final @NotNull ScheduledExecutorService scheduler, final @NotNull Duration interval) {
        sampling = scheduler.scheduleWithFixedDelay(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        final ScheduledFuture<?> current = sampling;
        if (current != null) {
            current.cancel(false);
        }
    }

    /** Whether telemetry must be refused until the bridge has caught up. */
    public boolean isFull() {
        return full;
    }

    /** Entries in all partitions at the last sample. */
    public long backlog() {
        return backlog;
    }

    public long highWaterMark() {
        return highWaterMark;
    }

    void sample() {
        final long total;
        try {
            total = measure();
        } catch (final RuntimeException e) {
            log.debug("measuring the stream backlog failed: {}", e.toString());
            return;
        }
        backlog = total;
        final boolean nowFull = total >= highWaterMark;
        if (nowFull != full) {
            full = nowFull;
            if (nowFull) {
                log.warn("stream backlog of {} entries reached the high-water mark of {}; refusing telemetry until "
                        + "the bridge catches up", total, highWaterMark);
            } else {
                log.info("stream backlog down to {} entries, below the high-water mark of {}; taking telemetry again",
                        total, highWaterMark);
            }
        }
    }

    private long measure() {
        final List<Response<Long>> lengths = new ArrayList<>(streams.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (final String stream : streams) {
                lengths.add(pipeline.xlen(stream));
            }
            pipeline.sync();
        }
        long total = 0;
        for (final Response<Long> length : lengths) {
            total += length.get();
        }
        return total;
    }
}
