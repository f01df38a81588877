package io.pulsehub.extension.stats;

import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.BrokerStats;
import io.pulsehub.extension.auth.AuthMetrics;
import io.pulsehub.extension.config.BrokerStatsSettings;
import io.pulsehub.extension.ingest.IngestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Leaves this node's {@link BrokerStats} in Redis every interval, for the bridges to write to InfluxDB: the extension
 * talks to Redis only, and InfluxDB keeps one kind of writer. One pipelined round trip per sample (HSET, PEXPIRE,
 * ZADD). A sample that cannot be written is dropped: the next one carries the same counters, and a node that stays
 * silent drops out when its hash expires.
 */
public final class BrokerStatsReporter {

    private static final Logger log = LoggerFactory.getLogger(BrokerStatsReporter.class);

    private final @NotNull RedisClient redis;
    private final @NotNull Supplier<BrokerStats> sampler;
    private final @NotNull Duration interval;
    private final long expiryMillis;
    /** Its own thread: a Redis call may block for the whole timeout, and HiveMQ's few executor threads are busy. */
    private final @NotNull ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(runnable -> {
                final Thread thread = new Thread(runnable, "pulsehub-broker-stats");
                thread.setDaemon(true);
                return thread;
            });
    /** Touched by the scheduler thread only. */
    private boolean failing;

    BrokerStatsReporter(final @NotNull RedisClient redis, final @NotNull Supplier<BrokerStats> sampler,
                        final @NotNull Duration interval) {
        this.redis = redis;
        this.sampler = sampler;
        this.interval = interval;
        this.expiryMillis = BrokerStats.expiry(interval).toMillis();
    }

    /**
     * Starts reporting at once, then every {@code settings.interval()}.
     *
     * @param redis    a pooled client; the reporter borrows one connection per sample
     * @param registry HiveMQ's metric registry, for its connection gauge and the extension's device gauge
     */
    public static @NotNull BrokerStatsReporter start(final @NotNull BrokerStatsSettings settings,
                                                     final @NotNull RedisClient redis,
                                                     final @NotNull MetricRegistry registry,
                                                     final @NotNull AuthMetrics auth,
                                                     final @NotNull IngestMetrics ingest) {
        final BrokerSampler sampler = new BrokerSampler(settings.node(), registry, auth, ingest,
                System::currentTimeMillis);
        final BrokerStatsReporter reporter = new BrokerStatsReporter(redis, sampler::sample, settings.interval());
        reporter.start();
        log.info("reporting the numbers of broker node '{}' to Redis every {} ms", settings.node(),
                settings.interval().toMillis());
        return reporter;
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::report, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits at most {@code grace} for a report under way; the hash then expires by itself. */
    public void stop(final @NotNull Duration grace) {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.debug("broker stats reporter still busy after {} ms; leaving it behind", grace.toMillis());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Never throws: an exception would cancel the schedule for good. */
    void report() {
        try {
            write(sampler.get());
            if (failing) {
                failing = false;
                log.info("writing broker stats to Redis works again");
            }
        } catch (final RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("writing broker stats to Redis failed ({}); dropping them until it works again",
                        e.toString());
            }
            log.debug("broker stats failure", e);
        }
    }

    private void write(final @NotNull BrokerStats stats) {
        final String key = BrokerStats.key(stats.node());
        final List<Response<?>> replies;
        try (Pipeline pipeline = redis.pipelined()) {
            replies = List.of(pipeline.hset(key, stats.toFields()),
                    pipeline.pexpire(key, expiryMillis),
                    pipeline.zadd(BrokerStats.NODES, stats.sampledAtMillis(), stats.node()));
            pipeline.sync();
        }
        // A command Redis refused (a key of another type, a read-only replica) shows only in its reply.
        replies.forEach(Response::get);
    }
}
