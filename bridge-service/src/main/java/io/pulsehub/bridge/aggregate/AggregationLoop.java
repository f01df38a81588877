package io.pulsehub.bridge.aggregate;

import io.micronaut.context.annotation.Context;
import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.bridge.metrics.PipelineMeters;
import io.pulsehub.bridge.stream.Backoff;
import io.pulsehub.bridge.stream.IngestWatermark;
import io.pulsehub.bridge.stream.RedisClock;
import io.pulsehub.contract.Aggregate;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Closes windows once the ingest watermark has passed their end plus the lateness, i.e. once every reading for them
 * that entered Redis is in InfluxDB, then re-aggregates windows that received late readings. Progress lives in Redis,
 * so a restarted bridge neither loses a window nor closes one twice; one instance at a time leads.
 *
 * <p>Between ticks it waits on the watermark for the next window's close, so that window is aggregated as soon as the
 * watermark passes it; it ticks at least every {@link #TICK_MILLIS} all the same, to keep its lead and to revise
 * windows with late readings, but not on every advance of the watermark, which moves after every read.
 */
@Context
class AggregationLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(AggregationLoop.class);
    private static final long TICK_MILLIS = 250;
    private static final long LEASE_MILLIS = 15_000;
    private static final int LATE_MARKS_PER_TICK = 200;
    private static final long SHUTDOWN_GRACE_MILLIS = 10_000;

    private final UnifiedJedis redis;
    private final WindowProgress progress;
    private final WindowCloser closer;
    private final WindowTallies tallies;
    private final IngestWatermark watermark;
    private final List<AggregateWindow> windows;
    private final long latenessMillis;
    private final String holder;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private boolean leading;
    /** The watermark at which the next window may close, as the last tick saw it; owned by the loop's thread. */
    private long nextCloseAt = Long.MAX_VALUE;

    AggregationLoop(final UnifiedJedis redis, final TelemetryStore store, final AggregatePublisher publisher,
                    final IngestWatermark watermark, final WindowTallies tallies, final PipelineMeters meters,
                    final BridgeConfig config) {
        this.redis = redis;
        this.progress = new WindowProgress(redis);
        this.tallies = tallies;
        this.closer = new WindowCloser(store, publisher, meters, tallies, progress);
        this.watermark = watermark;
        this.windows = config.windows();
        this.latenessMillis = config.latenessMillis();
        this.holder = config.consumerName();
        this.thread = new Thread(this, "pulsehub-aggregator");
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        stopping.countDown();
        try {
            thread.join(SHUTDOWN_GRACE_MILLIS);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(SHUTDOWN_GRACE_MILLIS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leading) {
            try {
                progress.resign(holder);
            } catch (final RuntimeException e) {
                log.debug("Could not hand back the aggregation lead; it lapses by itself", e);
            }
        }
    }

    @Override
    public void run() {
        final Backoff backoff = new Backoff();
        long delay = TICK_MILLIS;
        while (running) {
            try {
                if (backoff.failures() > 0) {
                    // A failing tick waits out its backoff: an advancing watermark would only repeat the failure.
                    if (stopping.await(delay, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } else {
                    watermark.awaitReaching(nextCloseAt, delay);
                    if (!running) {
                        return;
                    }
                }
                tick();
                if (backoff.failures() > 0) {
                    log.info("Aggregation recovered after {} failed attempts", backoff.failures());
                    backoff.reset();
                }
                delay = TICK_MILLIS;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (final AggregatePublishException | RuntimeException e) {
                delay = Math.max(TICK_MILLIS, backoff.nextDelayMillis());
                if (backoff.worthWarning()) {
                    log.warn("Aggregation: {}; retrying in {} ms", e.getMessage(), delay);
                }
                log.debug("Aggregation failure", e);
            }
        }
    }

    void tick() throws AggregatePublishException {
        final boolean lead = progress.lead(holder, LEASE_MILLIS);
        if (lead != leading) {
            leading = lead;
            log.info(lead ? "This instance now closes the aggregate windows" : "Another instance closes the windows");
        }
        nextCloseAt = Long.MAX_VALUE;
        if (!lead) {
            // The leader closes the windows from its own tallies or by query; these would only pile up.
            tallies.forgetClosable(watermark.millis());
            return;
        }
        final long now = RedisClock.millis(redis);
        for (final AggregateWindow window : windows) {
            closeDue(window, now);
            reviseLate(window, now);
        }
    }

    private void closeDue(final AggregateWindow window, final long now) throws AggregatePublishException {
        long closedEnd = progress.closedEnd(window, now);
        while (running && closedEnd + window.millis() + latenessMillis <= watermark.millis()) {
            final long started = System.currentTimeMillis();
            final List<Aggregate> published = closer.close(window, closedEnd);
            closedEnd += window.millis();
            progress.advance(window, closedEnd);
            if (log.isDebugEnabled()) {
                // Local clock against Redis times: close enough to see where a window's latency comes from.
                log.debug("Closed window {} ending {}: {} device aggregates; started {} ms after it could close, took "
                                + "{} ms", window.name(), closedEnd, published.size(),
                        started - (closedEnd + latenessMillis), System.currentTimeMillis() - started);
            }
        }
        // What this instance just closed, and what another leader closed before this instance took over.
        tallies.forget(window, closedEnd);
        nextCloseAt = Math.min(nextCloseAt, closedEnd + window.millis() + latenessMillis);
    }

    private void reviseLate(final AggregateWindow window, final long now) throws AggregatePublishException {
        final long closedEnd = progress.closedEnd(window, now);
        for (final String mark : progress.lateMarks(window, LATE_MARKS_PER_TICK)) {
            final int split = mark.indexOf(':');
            final long start;
            try {
                start = Long.parseLong(mark.substring(0, split));
            } catch (final RuntimeException e) {
                progress.clearLateMark(window, mark);
                continue;
            }
            if (start + window.millis() <= closedEnd) {
                final Optional<Aggregate> corrected = closer.revise(window, start, mark.substring(split + 1),
                        start + window.millis() == closedEnd);
                corrected.ifPresent(aggregate -> log.info("Republished window {} of {} starting {} as revision {}",
                        window.name(), aggregate.device(), start, aggregate.revision()));
            }
            // A window not closed yet will include the reading anyway: it was written before it was marked.
            progress.clearLateMark(window, mark);
        }
    }
}
