package io.pulsehub.bridge.metrics;

import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PipelinePointTest {

    private static final PipelineMeters.Totals BEFORE =
            new PipelineMeters.Totals(100, 300, 100, 2, 10, 50.0, 1, 4, 0, 10, 100.0);
    private static final PipelineMeters.Totals NOW =
            new PipelineMeters.Totals(150, 450, 148, 4, 15, 80.0, 3, 9, 2, 12, 150.0);

    @Test
    void countsPerIntervalRatesPerSecondAndTheLagAsSampled() {
        final Point point = PipelinePoint.of("bridge-a", 1_732_330_000_000L, BEFORE, NOW, 10_000, 12.5,
                new PipelineMeters.LagSample(7, 3, 1_500, 2));

        assertThat(point.lineProtocol()).isEqualTo("pulsehub_pipeline,bridge=bridge-a "
                + "aggregates_published=5i,backlog=10i,batch_size_mean=25.0,commands_published=2i,dead_lettered=2i,"
                + "dlq_entries=2i,entries_acked=48i,entries_consumed=50i,ingest_rate=5.0,oldest_pending_age_ms=1500i,"
                + "pending=7i,points_rate=15.0,points_written=150i,undelivered=3i,write_errors=2i,"
                + "write_latency_ms_mean=6.0,write_latency_ms_p99=12.5,writes=5i 1732330000000000000");
    }

    @Test
    void leavesTheLagOutWhenItIsUnknownAndNeverDividesByZero() {
        final Point point = PipelinePoint.of("bridge-a", 1_000L, NOW, NOW, 0, 0,
                PipelineMeters.LagSample.UNKNOWN);

        assertThat(point.lineProtocol()).isEqualTo("pulsehub_pipeline,bridge=bridge-a "
                + "aggregates_published=0i,batch_size_mean=0.0,commands_published=0i,dead_lettered=0i,"
                + "entries_acked=0i,entries_consumed=0i,ingest_rate=0.0,points_rate=0.0,points_written=0i,"
                + "write_errors=0i,write_latency_ms_mean=0.0,write_latency_ms_p99=0.0,writes=0i 1000000000");
    }
}
