package io.pulsehub.bridge.metrics;

import io.micronaut.context.annotation.Context;
import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.bridge.stream.DeadLetterQueue;
import io.pulsehub.bridge.stream.StreamBacklog;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code HUB_PIPELINE_METRICS_INTERVAL}: samples the stream lag and the dead letters for the gauges, and writes
 * the interval's pipeline numbers ({@link PipelinePoint}) and the broker nodes' latest samples from Redis
 * ({@link BrokerPoint}) to InfluxDB. A point that cannot be written is dropped: these are observations, not
 * telemetry, and an InfluxDB outage shows in the next points' write errors.
 */
@Context
class PipelineReporter {

    private static final Logger log = LoggerFactory.getLogger(PipelineReporter.class);

    private final PipelineMeters meters;
    private final StreamBacklog backlog;
    private final DeadLetterQueue deadLetters;
    private final TelemetryStore store;
    private final BrokerStatsReader brokers;
    private final String bridge;
    private final long intervalMillis;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "pulsehub-pipeline-metrics");
        thread.setDaemon(true);
        return thread;
    });
    private PipelineMeters.Totals previous;
    private long previousAt;
    private boolean failing;
    private boolean brokersFailing;

    PipelineReporter(final PipelineMeters meters, final StreamBacklog backlog, final DeadLetterQueue deadLetters,
                     final TelemetryStore store, final BrokerStatsReader brokers, final BridgeConfig config) {
        this.meters = meters;
        this.backlog = backlog;
        this.deadLetters = deadLetters;
        this.store = store;
        this.brokers = brokers;
        this.bridge = config.consumerName();
        this.intervalMillis = config.pipelineMetricsIntervalMillis();
    }

    @PostConstruct
    void start() {
        previous = meters.totals();
        previousAt = System.currentTimeMillis();
        scheduler.scheduleWithFixedDelay(this::report, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs on the scheduler thread only; never throws, which would cancel the schedule. */
    private void report() {
        final PipelineMeters.LagSample lag = sampleLag();
        meters.lagSampled(lag);
        final long now = System.currentTimeMillis();
        final PipelineMeters.Totals totals = meters.totals();
        final Point point = PipelinePoint.of(bridge, now, previous, totals, now - previousAt,
                meters.writeLatencyP99Millis(), lag);
        previous = totals;
        previousAt = now;
        final List<Point> points = new ArrayList<>();
        points.add(point);
        points.addAll(brokerPoints(now));
        try {
            write(points);
            if (failing) {
                failing = false;
                log.info("Writing pipeline metrics to InfluxDB works again");
            }
        } catch (final RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Writing pipeline metrics to InfluxDB failed ({}); dropping them until it works again",
                        e.getMessage());
            }
            log.debug("Pipeline metrics write failure", e);
        }
    }

    private PipelineMeters.LagSample sampleLag() {
        try {
            final StreamBacklog.Lag current = backlog.current();
            return new PipelineMeters.LagSample(current.pending(), current.undelivered(),
                    current.oldestPendingAgeMillis(), deadLetters.size());
        } catch (final RuntimeException e) {
            log.debug("Sampling the stream lag failed", e);
            return PipelineMeters.LagSample.UNKNOWN;
        }
    }

    /** None while Redis cannot be read: the pipeline's own point is written all the same. */
    private List<Point> brokerPoints(final long now) {
        try {
            final List<Point> points = brokers.live(now).stream().map(BrokerPoint::of).toList();
            if (brokersFailing) {
                brokersFailing = false;
                log.info("Reading broker stats from Redis works again");
            }
            return points;
        } catch (final RuntimeException e) {
            if (!brokersFailing) {
                brokersFailing = true;
                log.warn("Reading broker stats from Redis failed ({}); leaving them out until it works again",
                        e.getMessage());
            }
            log.debug("Broker stats read failure", e);
            return List.of();
        }
    }

    private void write(final List<Point> points) {
        try {
            store.write(points);
        } catch (final InfluxDBException.DatabaseNotFoundException e) {
            store.ensureDatabase();
            store.write(points);
        }
    }
}
