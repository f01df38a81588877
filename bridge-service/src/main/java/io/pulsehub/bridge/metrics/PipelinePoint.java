package io.pulsehub.bridge.metrics;

import org.influxdb.dto.Point;

import java.util.concurrent.TimeUnit;

/**
 * One interval of the pipeline as a point of {@code pulsehub_pipeline}, so that Grafana's pipeline dashboard needs
 * only the InfluxDB datasource. Counts are per interval, rates per second; each field keeps one type forever
 * (InfluxDB refuses a field that changes type), so counts are integers and everything else floats.
 */
final class PipelinePoint {

    static final String MEASUREMENT = "pulsehub_pipeline";
    static final String BRIDGE_TAG = "bridge";

    private PipelinePoint() {
    }

    /**
     * @param before        totals at the previous report
     * @param now           totals now
     * @param elapsedMillis time between the two
     * @param lag           the group's lag and dead letters; its fields are left out when it is unknown
     */
    static Point of(final String bridge, final long timeMillis, final PipelineMeters.Totals before,
                    final PipelineMeters.Totals now, final long elapsedMillis, final double writeLatencyP99Millis,
                    final PipelineMeters.LagSample lag) {
        final double seconds = Math.max(elapsedMillis, 1) / 1000.0;
        final long consumed = now.entriesConsumed() - before.entriesConsumed();
        final long points = now.pointsWritten() - before.pointsWritten();
        final long writes = now.writes() - before.writes();
        final long batches = now.batches() - before.batches();
        final Point.Builder point = Point.measurement(MEASUREMENT)
                .time(timeMillis, TimeUnit.MILLISECONDS)
                .tag(BRIDGE_TAG, bridge)
                .addField("ingest_rate", consumed / seconds)
                .addField("points_rate", points / seconds)
                .addField("entries_consumed", consumed)
                .addField("points_written", points)
                .addField("entries_acked", now.acked() - before.acked())
                .addField("dead_lettered", now.deadLettered() - before.deadLettered())
                .addField("writes", writes)
                .addField("write_errors", now.writeErrors() - before.writeErrors())
                .addField("write_latency_ms_mean", writes == 0 ? 0.0
                        : (now.writeMillis() - before.writeMillis()) / writes)
                .addField("write_latency_ms_p99", writeLatencyP99Millis)
                .addField("batch_size_mean", batches == 0 ? 0.0
                        : (now.batchEntries() - before.batchEntries()) / batches)
                .addField("aggregates_published", now.aggregatesPublished() - before.aggregatesPublished())
                .addField("commands_published", now.commandsPublished() - before.commandsPublished());
        if (lag.known()) {
            point.addField("pending", lag.pending())
                    .addField("undelivered", lag.undelivered())
                    .addField("backlog", lag.pending() + lag.undelivered())
                    .addField("oldest_pending_age_ms", lag.oldestPendingAgeMillis())
                    .addField("dlq_entries", lag.deadLetters());
        }
        return point.build();
    }
}
