package io.pulsehub.extension.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.extension.stream.BacklogMonitor;
import io.pulsehub.extension.stream.TelemetryStreamWriter;

/** Counters of the telemetry path, in HiveMQ's metric registry (JMX and any metrics extension see them). */
public final class IngestMetrics {

    static final String PREFIX = "io.pulsehub.extension.telemetry.";

    final @NotNull Counter stored;
    final @NotNull Counter invalid;
    final @NotNull Counter failed;
    final @NotNull Counter busy;
    final @NotNull Counter rateLimited;
    final @NotNull Counter tooLarge;
    final @NotNull Counter backlogFull;

    public IngestMetrics(final @NotNull MetricRegistry registry, final @NotNull TelemetryStreamWriter writer,
                         final @NotNull BacklogMonitor backlog) {
        this.stored = registry.counter(PREFIX + "stored");
        this.invalid = registry.counter(PREFIX + "invalid");
        this.failed = registry.counter(PREFIX + "failed");
        this.busy = registry.counter(PREFIX + "busy");
        this.rateLimited = registry.counter(PREFIX + "rate-limited");
        this.tooLarge = registry.counter(PREFIX + "too-large");
        this.backlogFull = registry.counter(PREFIX + "backlog-full");
        // Replaced rather than reused, so a restarted extension does not report its stopped writer.
        registry.remove(PREFIX + "queued");
        registry.gauge(PREFIX + "queued", () -> (Gauge<Integer>) writer::queued);
        registry.remove(PREFIX + "backlog");
        registry.gauge(PREFIX + "backlog", () -> (Gauge<Long>) backlog::backlog);
    }

    /** Telemetry publishes stored in a stream. */
    public long storedCount() {
        return stored.getCount();
    }

    /** Telemetry publishes refused for any reason: the device's (invalid, too large, too fast) or the hub's. */
    public long refusedCount() {
        return invalid.getCount() + failed.getCount() + busy.getCount() + rateLimited.getCount()
                + tooLarge.getCount() + backlogFull.getCount();
    }

    /** Readings refused because the payload was invalid. */
    public long invalidCount() {
        return invalid.getCount();
    }

    /** Readings refused because their device exceeded its publish rate. */
    public long rateLimitedCount() {
        return rateLimited.getCount();
    }
}
