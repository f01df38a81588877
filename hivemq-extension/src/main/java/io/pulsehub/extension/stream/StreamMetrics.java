package io.pulsehub.extension.stream;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.util.concurrent.TimeUnit;

/** Batch sizes and XADD round trips of the stream writer, in HiveMQ's metric registry. */
public final class StreamMetrics implements TelemetryStreamWriter.BatchRecorder {

    static final String PREFIX = "io.pulsehub.extension.telemetry.";

    private final @NotNull Histogram batchSize;
    private final @NotNull Timer xadd;

    public StreamMetrics(final @NotNull MetricRegistry registry) {
        this.batchSize = registry.histogram(PREFIX + "batch-size");
        this.xadd = registry.timer(PREFIX + "xadd");
    }

    @Override
    public void batchWritten(final int size, final long roundTripNanos) {
        batchSize.update(size);
        xadd.update(roundTripNanos, TimeUnit.NANOSECONDS);
    }
}
