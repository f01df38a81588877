package io.pulsehub.bridge.stream;

import io.pulsehub.bridge.aggregate.AggregateWindow;
import io.pulsehub.bridge.aggregate.LateReadings;
import io.pulsehub.bridge.aggregate.WindowTallies;
import io.pulsehub.contract.StreamEntry;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EntryBatchTest {

    private static final long TS = 1_732_330_000_123L;
    private static final int MAX = 5;

    private static Delivery delivery(final String stream, final long millis, final Map<byte[], byte[]> fields) {
        return new Delivery(stream, new StreamEntryID(millis, 0), fields);
    }

    private static Map<byte[], byte[]> entry(final String device, final String payload) {
        return new StreamEntry(device, TS * 1_000_000L + 1, payload.getBytes(StandardCharsets.UTF_8)).toFields();
    }

    @Test
    void decodesGoodEntriesAndDeadLettersTheRestWithTheirReason() {
        final Delivery good = delivery("s:0", TS, entry("d1", "[{\"ts\":" + TS + ",\"t\":1},{\"t\":2}]"));
        final Delivery badPayload = delivery("s:1", TS + 1, entry("d2", "{\"t\":\"warm\"}"));
        final Delivery foreign = delivery("s:0", TS + 2, Map.of("x".getBytes(), "y".getBytes()));
        final Delivery deleted = delivery("s:1", TS + 3, null);

        final EntryBatch batch = EntryBatch.decode(List.of(good, badPayload, foreign, deleted), MAX);

        assertThat(batch.decoded()).extracting(EntryBatch.Decoded::deviceId).containsExactly("d1");
        assertThat(batch.pointCount()).isEqualTo(2);
        assertThat(batch.lines()).isEqualTo("telemetry,device=d1 t=1.0 " + TS * 1_000_000L + "\n"
                + "telemetry,device=d1 t=2.0 " + (TS * 1_000_000L + 2) + "\n");
        assertThat(batch.deadLetters()).extracting(DeadLetter::delivery).containsExactly(badPayload, foreign, deleted);
        assertThat(batch.deadLetters()).extracting(DeadLetter::reason).containsExactly(
                "undecodable entry: metric 't' must be a number, not a string",
                "undecodable entry: stream entry lacks one of the fields d, t, p",
                "entry was deleted from the stream before it was written");
        assertThat(batch.acks()).containsOnly(
                Map.entry("s:0", List.of(good.id(), foreign.id())),
                Map.entry("s:1", List.of(badPayload.id(), deleted.id())));
    }

    @Test
    void anEntryDeliveredMoreThanTheLimitIsDeadLetteredUnreadEvenWhenItIsValid() {
        final Map<byte[], byte[]> fields = entry("d1", "{\"t\":1}");
        final Delivery atLimit = delivery("s:0", TS, fields).withDeliveries(MAX);
        final Delivery overLimit = delivery("s:0", TS + 1, fields).withDeliveries(MAX + 1);
        final Delivery unknownCount = delivery("s:1", TS + 2, fields).withDeliveries(0);

        final EntryBatch batch = EntryBatch.decode(List.of(atLimit, overLimit, unknownCount), MAX);

        assertThat(batch.decoded()).extracting(EntryBatch.Decoded::delivery).containsExactly(atLimit, unknownCount);
        assertThat(batch.deadLetters()).containsExactly(new DeadLetter(overLimit,
                "delivered 6 times without being written; HUB_BRIDGE_MAX_DELIVERIES is 5"));
        assertThat(batch.acks()).containsOnly(Map.entry("s:0", List.of(atLimit.id(), overLimit.id())),
                Map.entry("s:1", List.of(unknownCount.id())));
    }

    @Test
    void anEntryInfluxRefusesMovesToTheDeadLettersButIsStillAcknowledged() {
        final Delivery delivery = delivery("s:0", TS, entry("d1", "{\"t\":1}"));
        final EntryBatch batch = EntryBatch.decode(List.of(delivery), MAX);

        batch.refuse(batch.decoded().get(0), "InfluxDB refused the points: field type conflict");

        assertThat(batch.decoded()).isEmpty();
        assertThat(batch.pointCount()).isZero();
        assertThat(batch.lines()).isEmpty();
        assertThat(batch.deadLetters()).containsExactly(
                new DeadLetter(delivery, "InfluxDB refused the points: field type conflict"));
        assertThat(batch.acks()).containsOnly(Map.entry("s:0", List.of(delivery.id())));
    }

    @Test
    void marksReadingsThatArriveLongAfterTheirWindow() {
        final long oldTs = TS - 3_600_000;
        final Delivery buffered = delivery("s:0", TS, entry("d1", "{\"ts\":" + oldTs + ",\"t\":1}"));
        final Delivery live = delivery("s:0", TS, entry("d2", "{\"ts\":" + TS + ",\"t\":1}"));
        final AggregateWindow minute = new AggregateWindow("1m", 60_000);

        final SetMarks marks = EntryBatch.decode(List.of(buffered, live), MAX)
                .marks(new LateReadings(List.of(minute), 2_000), new WindowTallies(List.of(minute), 2_000, "b1/x"));

        assertThat(marks.members()).containsEntry("pulsehub:aggregates:late:1m",
                Set.of(minute.startOf(oldTs) + ":d1"));
        assertThat(marks.expiryMillis()).doesNotContainKey("pulsehub:aggregates:late:1m");
    }

    @Test
    void marksThisInstanceAsAWriterOfEveryWindowItsReadingsFallIn() {
        final AggregateWindow minute = new AggregateWindow("1m", 60_000);
        final long start = minute.startOf(TS);
        final Delivery twoWindows = delivery("s:0", TS, entry("d1",
                "[{\"ts\":" + (start - 1) + ",\"t\":1},{\"ts\":" + start + ",\"t\":2},{\"ts\":" + (start + 1)
                        + ",\"t\":3}]"));
        final Delivery undecodable = delivery("s:0", TS, Map.of("x".getBytes(), "y".getBytes()));

        final SetMarks marks = EntryBatch.decode(List.of(twoWindows, undecodable), MAX)
                .marks(new LateReadings(List.of(minute), 50_000), new WindowTallies(List.of(minute), 50_000, "b1/x"));

        assertThat(marks.members()).containsOnly(
                Map.entry("pulsehub:aggregates:writers:1m:" + (start - 60_000), Set.of("b1/x")),
                Map.entry("pulsehub:aggregates:writers:1m:" + start, Set.of("b1/x")));
        // Lives past the window's close (window + lateness + 10 min), so the leader still finds it then.
        assertThat(marks.expiryMillis().values()).containsOnly(60_000L + 50_000 + 600_000);
    }

    @Test
    void deadLetterKeepsTheOriginalFieldsBesideStreamIdAndReason() {
        final Delivery delivery = delivery("pulsehub:telemetry:3", TS,
                Map.of("d".getBytes(), "d1".getBytes(), "reason".getBytes(), "mine".getBytes()));

        final Map<byte[], byte[]> fields = TelemetryStreams.deadLetterFields(new DeadLetter(delivery, "why"));

        assertThat(fields.entrySet()).extracting(e -> new String(e.getKey()) + "=" + new String(e.getValue()))
                .containsExactlyInAnyOrder("stream=pulsehub:telemetry:3", "id=" + TS + "-0", "reason=why", "d=d1");
    }
}
