package io.pulsehub.bridge.stream;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IngestWatermarkTest {

    private static final long READ_AT = 10_000;

    private static TelemetryStreams.Read read(final boolean drainedSome, final long lastOfFullStreams) {
        return new TelemetryStreams.Read(List.of(), drainedSome, lastOfFullStreams, 0);
    }

    @Test
    void aDrainedReadCoversEverythingBeforeItsStart() {
        assertThat(IngestWatermark.candidate(READ_AT, read(true, Long.MAX_VALUE), -1)).isEqualTo(READ_AT);
    }

    @Test
    void aBlockingReadThatTimedOutEmptyAlsoCoversItsWait() {
        final TelemetryStreams.Read waitedOut = new TelemetryStreams.Read(List.of(), true, Long.MAX_VALUE, 100);

        assertThat(IngestWatermark.candidate(READ_AT, waitedOut, -1)).isEqualTo(READ_AT + 100);
        // Whatever another consumer of the group took meanwhile and has not written yet still holds it back.
        assertThat(IngestWatermark.candidate(READ_AT, waitedOut, READ_AT + 40)).isEqualTo(READ_AT + 40);
    }

    @Test
    void aStreamWithEntriesLeftCoversOnlyWhatCameBeforeTheLastEntryItDelivered() {
        // Another entry of the same millisecond may still wait after the last one delivered: exclusive bound.
        assertThat(IngestWatermark.candidate(READ_AT, read(true, 7_000), -1)).isEqualTo(7_000);
        // No stream drained, none of them bounded by the read's start: entries added during the read were read too.
        assertThat(IngestWatermark.candidate(READ_AT, read(false, 12_000), -1)).isEqualTo(12_000);
    }

    @Test
    void anUnacknowledgedEntryHoldsItBack() {
        assertThat(IngestWatermark.candidate(READ_AT, read(true, Long.MAX_VALUE), 4_000)).isEqualTo(4_000);
        assertThat(IngestWatermark.candidate(READ_AT, read(false, 7_000), 6_999)).isEqualTo(6_999);
        assertThat(IngestWatermark.candidate(READ_AT, read(false, 7_000), 8_000)).isEqualTo(7_000);
    }

    @Test
    void neverMovesBackwards() {
        final IngestWatermark watermark = new IngestWatermark();
        assertThat(watermark.millis()).isEqualTo(-1);

        watermark.advanceTo(5_000);
        watermark.advanceTo(4_000);

        assertThat(watermark.millis()).isEqualTo(5_000);
    }

    @Test
    void aWaiterWakesWhenTheWatermarkReachesItsTarget() throws InterruptedException {
        final IngestWatermark watermark = new IngestWatermark();
        final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return watermark.awaitReaching(5_000, 60_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });

        watermark.advanceTo(4_999);
        assertThat(waiter).isNotDone();
        watermark.advanceTo(5_001);

        await().atMost(Duration.ofSeconds(10)).until(waiter::isDone);
        assertThat(waiter.join()).isTrue();
        assertThat(watermark.awaitReaching(5_001, 0)).isTrue();
        assertThat(watermark.awaitReaching(5_002, 20)).isFalse();
    }
}
