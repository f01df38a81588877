package io.pulsehub.extension.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.extension.stream.TelemetryStreamWriter;

/** Counters of the telemetry path, in HiveMQ's metric registry (JMX and any metrics extension see them). */
public final class IngestMetrics {

    static final String PREFIX = "io.pulsehub.extension.telemetry.";

    final @NotNull Counter stored;
    final @NotNull Counter invalid;
    final @NotNull Counter failed;
    final @NotNull Counter busy;

    public IngestMetrics(final @NotNull MetricRegistry registry, final @NotNull TelemetryStreamWriter writer) {
        this.stored = registry.counter(PREFIX + "stored");
        this.invalid = registry.counter(PREFIX + "invalid");
        this.failed = registry.counter(PREFIX + "failed");
        this.busy = registry.counter(PREFIX + "busy");
        // Replaced rather than reused, so a restarted extension does not report its stopped writer.
        registry.remove(PREFIX + "queued");
        registry.gauge(PREFIX + "queued", () -> (Gauge<Integer>) writer::queued);
    }

    /** Readings refused because the payload was invalid. */
    public long invalidCount() {
        return invalid.getCount();
    }
}
