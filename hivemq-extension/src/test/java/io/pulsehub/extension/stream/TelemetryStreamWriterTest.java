package io.pulsehub.extension.stream;

import io.pulsehub.contract.StreamEntry;
import io.pulsehub.extension.stream.TelemetryStreamWriter.Admission;
import io.pulsehub.extension.stream.TelemetryStreamWriter.StoreFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TelemetryStreamWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A sink whose answers the test controls; it can hold the writer inside a call until released. */
    private static final class ScriptedSink implements StreamSink {

        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile Function<List<StreamEntry>, List<EntryResult>> answer = ScriptedSink::allStored;

        static List<EntryResult> allStored(final List<StreamEntry> batch) {
            return Collections.nCopies(batch.size(), EntryResult.stored());
        }

        @Override
        public List<EntryResult> append(final List<StreamEntry> batch) {
            final List<String> devices = new ArrayList<>();
            batch.forEach(entry -> devices.add(entry.deviceId()));
            batches.add(devices);
            entered.countDown();
            try {
                if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("test never opened the gate");
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return answer.apply(batch);
        }
    }

    /** Records what each submitted entry was told. */
    private static final class Outcomes {

        final Map<String, String> byDevice = new ConcurrentHashMap<>();

        TelemetryStreamWriter.Completion of(final String deviceId) {
            return new TelemetryStreamWriter.Completion() {
                @Override
                public void stored() {
                    byDevice.put(deviceId, "stored");
                }

                @Override
                public void failed(final StoreFailure failure, final String reason) {
                    assertThat(reason).isNotBlank();
                    byDevice.put(deviceId, failure.name());
                }
            };
        }
    }

    private final ScriptedSink sink = new ScriptedSink();
    private final Outcomes outcomes = new Outcomes();
    private final List<Integer> recordedBatchSizes = new CopyOnWriteArrayList<>();
    private TelemetryStreamWriter writer;

    private TelemetryStreamWriter start(final int batchSize, final int capacity) {
        writer = new TelemetryStreamWriter(sink, (size, nanos) -> {
            assertThat(nanos).isNotNegative();
            recordedBatchSizes.add(size);
        }, batchSize, capacity);
        writer.start();
        return writer;
    }

    @AfterEach
    void stopWriter() {
        sink.gate = new CountDownLatch(0);
        if (writer != null) {
            writer.stop(Duration.ofSeconds(5));
        }
    }

    private static StreamEntry entry(final String deviceId) {
        return new StreamEntry(deviceId, 1_700_000_000_000_000_001L, "{\"t\":1}".getBytes(StandardCharsets.UTF_8));
    }

    private Admission submit(final String deviceId) {
        return writer.submit(entry(deviceId), outcomes.of(deviceId));
    }

    @Test
    void entriesQueuedDuringARoundTripGoOutTogetherInBatchesOfAtMostTheBatchSize() throws Exception {
        start(3, 100);
        sink.gate = new CountDownLatch(1);
        assertThat(submit("d0")).isEqualTo(Admission.ACCEPTED);
        assertThat(sink.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        for (int i = 1; i <= 7; i++) {
            assertThat(submit("d" + i)).isEqualTo(Admission.ACCEPTED);
        }
        assertThat(outcomes.byDevice).isEmpty();

        sink.gate.countDown();

        await().atMost(WAIT).until(() -> outcomes.byDevice.size() == 8);
        assertThat(outcomes.byDevice).allSatisfy((device, outcome) -> assertThat(outcome).isEqualTo("stored"));
        assertThat(sink.batches).containsExactly(List.of("d0"), List.of("d1", "d2", "d3"),
                List.of("d4", "d5", "d6"), List.of("d7"));
        assertThat(recordedBatchSizes).containsExactly(1, 3, 3, 1);
    }

    @Test
    void aFailedRoundTripFailsEveryEntryOfTheBatchAndTheWriterCarriesOn() {
        start(10, 100);
        sink.answer = batch -> {
            throw new IllegalStateException("connection refused");
        };
        submit("a");
        await().atMost(WAIT).until(() -> outcomes.byDevice.containsKey("a"));
        assertThat(outcomes.byDevice).containsEntry("a", "STORAGE_UNAVAILABLE");

        sink.answer = ScriptedSink::allStored;
        submit("b");

        await().atMost(WAIT).until(() -> outcomes.byDevice.containsKey("b"));
        assertThat(outcomes.byDevice).containsEntry("b", "stored");
    }

    @Test
    void anEntryRefusedByRedisFailsAloneWhileTheRestOfTheBatchIsStored() throws Exception {
        start(10, 100);
        sink.gate = new CountDownLatch(1);
        submit("first");
        assertThat(sink.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        submit("ok1");
        submit("bad");
        submit("ok2");
        sink.answer = batch -> batch.stream()
                .map(entry -> "bad".equals(entry.deviceId()) ? EntryResult.refused("OOM") : EntryResult.stored())
                .toList();

        sink.gate.countDown();

        await().atMost(WAIT).until(() -> outcomes.byDevice.size() == 4);
        assertThat(outcomes.byDevice).containsEntry("ok1", "stored").containsEntry("ok2", "stored")
                .containsEntry("bad", "REJECTED").containsEntry("first", "stored");
    }

    @Test
    void anAnswerOfTheWrongLengthFailsTheWholeBatch() {
        start(10, 100);
        sink.answer = batch -> List.of();

        submit("x");

        await().atMost(WAIT).until(() -> outcomes.byDevice.containsKey("x"));
        assertThat(outcomes.byDevice).containsEntry("x", "STORAGE_UNAVAILABLE");
    }

    @Test
    void aFullQueueIsRefusedAtOnce() throws Exception {
        start(1, 2);
        sink.gate = new CountDownLatch(1);
        submit("in-flight");
        assertThat(sink.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        assertThat(submit("q1")).isEqualTo(Admission.ACCEPTED);
        assertThat(submit("q2")).isEqualTo(Admission.ACCEPTED);
        assertThat(submit("overflow")).isEqualTo(Admission.QUEUE_FULL);
        assertThat(writer.queued()).isEqualTo(2);

        sink.gate.countDown();
        await().atMost(WAIT).until(() -> outcomes.byDevice.size() == 3);
        assertThat(outcomes.byDevice).doesNotContainKey("overflow");
    }

    @Test
    void stopStoresWhatIsQueuedAndRefusesNewEntries() throws Exception {
        start(2, 100);
        sink.gate = new CountDownLatch(1);
        submit("a");
        assertThat(sink.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        submit("b");
        submit("c");
        sink.gate.countDown();

        writer.stop(Duration.ofSeconds(5));

        assertThat(outcomes.byDevice).containsOnlyKeys("a", "b", "c")
                .allSatisfy((device, outcome) -> assertThat(outcome).isEqualTo("stored"));
        assertThat(submit("late")).isEqualTo(Admission.STOPPED);
        assertThat(outcomes.byDevice).doesNotContainKey("late");
    }

    @Test
    void stopIsBoundedAndRefusesWhatCouldNotBeStoredInTime() throws Exception {
        start(1, 100);
        sink.gate = new CountDownLatch(1);
        submit("stuck");
        assertThat(sink.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        submit("queued1");
        submit("queued2");

        writer.stop(Duration.ofMillis(200));

        assertThat(outcomes.byDevice).containsEntry("queued1", "SHUTTING_DOWN")
                .containsEntry("queued2", "SHUTTING_DOWN").doesNotContainKey("stuck");
        sink.gate.countDown();
        await().atMost(WAIT).until(() -> outcomes.byDevice.containsKey("stuck"));
        assertThat(outcomes.byDevice).containsEntry("stuck", "stored");
    }

    @Test
    void entriesNobodyWaitsForAnyMoreAreNotWritten() throws Exception {
        start(10, 100);
        sink.gate = new CountDownLatch(1);
        submit("first");
        assertThat(sink.entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        writer.submit(entry("gave-up"), new TelemetryStreamWriter.Completion() {
            @Override
            public void stored() {
                outcomes.byDevice.put("gave-up", "stored");
            }

            @Override
            public void failed(final StoreFailure failure, final String reason) {
                outcomes.byDevice.put("gave-up", failure.name());
            }

            @Override
            public boolean abandoned() {
                return true;
            }
        });
        submit("waiting");

        sink.gate.countDown();

        await().atMost(WAIT).until(() -> outcomes.byDevice.containsKey("waiting"));
        assertThat(sink.batches).containsExactly(List.of("first"), List.of("waiting"));
        assertThat(outcomes.byDevice).doesNotContainKey("gave-up");
    }

    @Test
    void aThrowingCompletionCostsOnlyItsOwnEntry() {
        start(10, 100);
        writer.submit(entry("rude"), new TelemetryStreamWriter.Completion() {
            @Override
            public void stored() {
                throw new IllegalStateException("boom");
            }

            @Override
            public void failed(final StoreFailure failure, final String reason) {
                throw new IllegalStateException("boom");
            }
        });
        submit("polite");

        await().atMost(WAIT).until(() -> outcomes.byDevice.containsKey("polite"));
        assertThat(outcomes.byDevice).containsEntry("polite", "stored");
    }
}
