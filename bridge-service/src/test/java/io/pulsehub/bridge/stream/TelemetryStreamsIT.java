package io.pulsehub.bridge.stream;

import io.pulsehub.contract.StreamLayout;
import io.pulsehub.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.Slowlog;
import redis.clients.jedis.resps.StreamPendingEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stream commands of the consumer against a real Redis: the group's lag (pending, undelivered, also where Redis
 * cannot count them, and the oldest), reading its own pending entries with their delivery counts, and how far a read
 * of new entries lets the ingest watermark go.
 */
class TelemetryStreamsIT {

    private static final StreamLayout LAYOUT = new StreamLayout(2);
    private static final StreamLayout OTHER_LAYOUT = new StreamLayout(3);
    private static final String FIRST = LAYOUT.streamKey(0);
    private static final String SECOND = LAYOUT.streamKey(1);

    private static RedisServer redis;
    private static RedisClient jedis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        jedis = RedisClient.create(redis.url());
    }

    @AfterAll
    static void stop() {
        if (jedis != null) {
            jedis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static StreamEntryID add(final String stream, final long millis) {
        return jedis.xadd(stream, Map.of("d", "lag-1"), XAddParams.xAddParams().id(new StreamEntryID(millis, 0)));
    }

    private static void read(final String stream, final int count) {
        read(stream, count, "c1");
    }

    private static void read(final String stream, final int count, final String consumer) {
        jedis.xreadGroup(StreamLayout.CONSUMER_GROUP, consumer, XReadGroupParams.xReadGroupParams().count(count),
                Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    }

    @Test
    void countsPendingAndUndeliveredEntriesAndFindsTheOldestOfEither() {
        final TelemetryStreams streams = new TelemetryStreams(jedis, LAYOUT, "c1");
        assertThat(streams.lag()).isEqualTo(new TelemetryStreams.Lag(0, 0, -1));
        streams.ensureGroups();
        final StreamEntryID e1 = add(FIRST, 1_000);
        final StreamEntryID e2 = add(FIRST, 2_000);
        add(FIRST, 3_000);
        add(FIRST, 4_000);
        add(SECOND, 1_500);

        read(FIRST, 1);
        assertThat(streams.lag()).isEqualTo(new TelemetryStreams.Lag(1, 4, 1_000));

        jedis.xack(FIRST, StreamLayout.CONSUMER_GROUP, e1);
        assertThat(streams.lag()).isEqualTo(new TelemetryStreams.Lag(0, 4, 1_500));

        read(SECOND, 10);
        read(FIRST, 1);
        assertThat(streams.lag()).isEqualTo(new TelemetryStreams.Lag(2, 2, 1_500));
        jedis.xack(FIRST, StreamLayout.CONSUMER_GROUP, e2);
        assertThat(streams.lag()).isEqualTo(new TelemetryStreams.Lag(1, 2, 1_500));

        // A deleted undelivered entry leaves Redis unable to tell the group's lag; the entries are counted instead.
        jedis.xdel(FIRST, new StreamEntryID(3_000, 0));
        assertThat(jedis.xinfoGroups(FIRST).get(0).getGroupInfo().get("lag")).isNull();
        assertThat(streams.lag()).isEqualTo(new TelemetryStreams.Lag(1, 1, 1_500));

        read(FIRST, 10);
        jedis.xack(FIRST, StreamLayout.CONSUMER_GROUP, new StreamEntryID(4_000, 0));
        jedis.xack(SECOND, StreamLayout.CONSUMER_GROUP, new StreamEntryID(1_500, 0));
        assertThat(streams.lag()).isEqualTo(new TelemetryStreams.Lag(0, 0, -1));
    }

    @Test
    void readsOwnPendingEntriesInBatchesAfterOneFailureAndOneByOneAfterTwo() {
        // Its own streams: partition 2 of three, which the lag test does not use.
        final String stream = OTHER_LAYOUT.streamKey(2);
        final TelemetryStreams streams = new TelemetryStreams(jedis, OTHER_LAYOUT, "c2");
        streams.ensureGroups();
        for (int i = 1; i <= 3; i++) {
            add(stream, 10_000 + i);
        }
        read(stream, 10, "c2");
        read(stream, 10, "someone-else"); // nothing left for another consumer: the three are c2's

        final TelemetryStreams.OwnPending once = streams.readOwnPending(100);
        assertThat(once.isolating()).isFalse();
        assertThat(once.deliveries()).extracting(Delivery::deliveries).containsExactly(2L, 2L, 2L);

        final TelemetryStreams.OwnPending twice = streams.readOwnPending(100);
        assertThat(twice.isolating()).isTrue();
        assertThat(twice.deliveries()).hasSize(1).first().satisfies(delivery -> {
            assertThat(delivery.id()).isEqualTo(new StreamEntryID(10_001, 0));
            assertThat(delivery.deliveries()).isEqualTo(3);
            assertThat(delivery.fields()).isNotEmpty();
        });
        // Only the entry handed out counts one more delivery.
        assertThat(jedis.xpending(stream, StreamLayout.CONSUMER_GROUP,
                XPendingParams.xPendingParams().count(10).consumer("c2")))
                .extracting(StreamPendingEntry::getDeliveredTimes).containsExactly(3L, 2L, 2L);
        jedis.xack(stream, StreamLayout.CONSUMER_GROUP, new StreamEntryID(10_001, 0));

        assertThat(streams.readOwnPending(100).deliveries()).extracting(Delivery::id)
                .containsExactly(new StreamEntryID(10_002, 0));
        jedis.xack(stream, StreamLayout.CONSUMER_GROUP, new StreamEntryID(10_002, 0), new StreamEntryID(10_003, 0));
        assertThat(streams.readOwnPending(100)).isEqualTo(new TelemetryStreams.OwnPending(List.of(), false));
    }

    @Test
    void aReadThatLeavesEntriesBehindBoundsTheWatermarkByWhatItDeliveredAndWhatIsPending() {
        // Database 1: its streams are this test's alone, while the other tests use the same keys in database 0.
        try (RedisClient own = RedisClient.create(redis.url() + "/1")) {
            final TelemetryStreams streams = new TelemetryStreams(own, LAYOUT, "c1");
            streams.ensureGroups();
            for (final long[] id : new long[][]{{1_000, 0}, {1_000, 1}, {1_000, 2}, {2_000, 0}, {3_000, 0}}) {
                own.xadd(FIRST, Map.of("d", "wm-1"), XAddParams.xAddParams().id(new StreamEntryID(id[0], id[1])));
            }
            own.xadd(SECOND, Map.of("d", "wm-2"), XAddParams.xAddParams().id(new StreamEntryID(1_500, 0)));
            own.xreadGroup(StreamLayout.CONSUMER_GROUP, "other", XReadGroupParams.xReadGroupParams().count(1),
                    Map.of(SECOND, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            own.xadd(SECOND, Map.of("d", "wm-2"), XAddParams.xAddParams().id(new StreamEntryID(2_500, 0)));

            // Two of the three entries of millisecond 1000: the third one, not delivered, keeps 1000 itself out.
            long readAt = RedisClock.millis(own);
            TelemetryStreams.Read read = streams.readNew(2, 100);
            assertThat(read.deliveries()).extracting(Delivery::id).containsExactly(new StreamEntryID(1_000, 0),
                    new StreamEntryID(1_000, 1), new StreamEntryID(2_500, 0));
            assertThat(read.drainedSome()).isTrue();
            assertThat(read.lastOfFullStreamsMillis()).isEqualTo(1_000);
            long oldestPending = streams.settle(acks(read), List.of(), SetMarks.NONE);
            assertThat(oldestPending).isEqualTo(1_500);
            assertThat(IngestWatermark.candidate(readAt, read, oldestPending)).isEqualTo(1_000)
                    .isLessThanOrEqualTo(streams.lag().oldestUnwrittenMillis());

            // Everything up to 2000 delivered and acknowledged by now, except another consumer's 1500.
            readAt = RedisClock.millis(own);
            read = streams.readNew(2, 100);
            assertThat(read.deliveries()).extracting(Delivery::id).containsExactly(new StreamEntryID(1_000, 2),
                    new StreamEntryID(2_000, 0));
            assertThat(read.lastOfFullStreamsMillis()).isEqualTo(2_000);
            oldestPending = streams.settle(acks(read), List.of(), SetMarks.NONE);
            assertThat(IngestWatermark.candidate(readAt, read, oldestPending)).isEqualTo(1_500)
                    .isLessThanOrEqualTo(streams.lag().oldestUnwrittenMillis());

            // Once that one is acknowledged too, a read that empties every stream covers everything before it.
            own.xack(SECOND, StreamLayout.CONSUMER_GROUP, new StreamEntryID(1_500, 0));
            readAt = RedisClock.millis(own);
            read = streams.readNew(2, 100);
            assertThat(read.deliveries()).extracting(Delivery::id).containsExactly(new StreamEntryID(3_000, 0));
            assertThat(read.lastOfFullStreamsMillis()).isEqualTo(Long.MAX_VALUE);
            oldestPending = streams.settle(acks(read), List.of(), SetMarks.NONE);
            assertThat(oldestPending).isEqualTo(-1);
            assertThat(IngestWatermark.candidate(readAt, read, oldestPending)).isEqualTo(readAt);
            assertThat(streams.lag()).isEqualTo(new TelemetryStreams.Lag(0, 0, -1));
        }
    }

    @Test
    void aLargeReadIsSplitIntoCommandsOfBoundedSizeThatTogetherDeliverTheBatch() {
        try (RedisClient own = RedisClient.create(redis.url() + "/3")) {
            final TelemetryStreams streams = new TelemetryStreams(own, LAYOUT, "c1");
            streams.ensureGroups();
            addEntries(own, FIRST, 1, 400);
            addEntries(own, SECOND, 1, 10);
            final TelemetryStreams.Read read;
            own.configSet("slowlog-log-slower-than", "0");
            try {
                own.slowlogReset();
                final long readAt = RedisClock.millis(own);
                read = streams.readNew(500, 100);

                assertThat(read.deliveries()).hasSize(410);
                assertThat(read.leftEntriesBehind()).isFalse();
                assertThat(IngestWatermark.candidate(readAt, read, -1)).isEqualTo(readAt);
                // Two commands of at most 256 entries per stream (512 over the two), instead of one of 410; the
                // second asks each stream for what is left of its 500.
                @SuppressWarnings("unchecked")
                final List<Object> log = (List<Object>) own.sendCommand(Protocol.Command.SLOWLOG, "GET", "100");
                final List<String> counts = Slowlog.from(log).stream().map(Slowlog::getArgs)
                        .filter(args -> args.get(0).equalsIgnoreCase("XREADGROUP"))
                        .map(args -> args.get(args.indexOf("COUNT") + 1)).toList();
                // SLOWLOG GET lists the newest first.
                assertThat(counts).containsExactly("244",
                        Integer.toString(TelemetryStreams.MAX_ENTRIES_PER_READ / LAYOUT.partitions()));
            } finally {
                own.configSet("slowlog-log-slower-than", "10000");
            }
            streams.settle(acks(read), List.of(), SetMarks.NONE);

            // The batch stays within the count per stream: 100 of each of the 300 waiting in either stream.
            addEntries(own, FIRST, 401, 700);
            addEntries(own, SECOND, 401, 700);
            final TelemetryStreams.Read limited = streams.readNew(100, 0);
            assertThat(limited.deliveries()).hasSize(200);
            assertThat(limited.leftEntriesBehind()).isTrue();
            assertThat(limited.lastOfFullStreamsMillis()).isEqualTo(500);
        }
    }

    @Test
    void aSplitReadStoppedByTheCountPerStreamBoundsTheWatermarkByTheStreamStillFull() {
        try (RedisClient own = RedisClient.create(redis.url() + "/4")) {
            final TelemetryStreams streams = new TelemetryStreams(own, LAYOUT, "c1");
            streams.ensureGroups();
            addEntries(own, FIRST, 1, 1_000);
            addEntries(own, SECOND, 1, 5);

            // 256 + 5, then the 244 left of the first stream's 500; it is full in both reads.
            final long readAt = RedisClock.millis(own);
            final TelemetryStreams.Read read = streams.readNew(500, 0);
            assertThat(read.deliveries()).hasSize(505);
            assertThat(read.leftEntriesBehind()).isTrue();
            assertThat(read.lastOfFullStreamsMillis()).isEqualTo(500);
            final long oldestPending = streams.settle(acks(read), List.of(), SetMarks.NONE);
            assertThat(IngestWatermark.candidate(readAt, read, oldestPending)).isEqualTo(500)
                    .isLessThanOrEqualTo(streams.lag().oldestUnwrittenMillis());
        }
    }

    @Test
    void ownPendingEntriesAreReadInCommandsOfBoundedSizeToo() {
        try (RedisClient own = RedisClient.create(redis.url() + "/5")) {
            final TelemetryStreams streams = new TelemetryStreams(own, LAYOUT, "c1");
            streams.ensureGroups();
            addEntries(own, FIRST, 1, 300);
            assertThat(streams.readNew(500, 0).deliveries()).hasSize(300);

            // Not acknowledged, as after a crash: read back 256 at a time (of the two streams' 512), not all 300.
            final TelemetryStreams.OwnPending pending = streams.readOwnPending(500);
            assertThat(pending.deliveries()).hasSize(TelemetryStreams.MAX_ENTRIES_PER_READ / LAYOUT.partitions())
                    .allSatisfy(delivery -> assertThat(delivery.deliveries()).isEqualTo(2));
            assertThat(pending.isolating()).isFalse();
        }
    }

    @Test
    void aBlockingReadThatTimesOutEmptyCoversItsWaitAndAnEntryDuringTheWaitEndsIt() throws Exception {
        try (RedisClient own = RedisClient.create(redis.url() + "/2")) {
            final TelemetryStreams streams = new TelemetryStreams(own, LAYOUT, "c1");
            streams.ensureGroups();

            final long readAt = RedisClock.millis(own);
            final TelemetryStreams.Read empty = streams.readNew(10, 80);
            assertThat(empty.deliveries()).isEmpty();
            assertThat(empty.waitedOutMillis()).isEqualTo(80);
            final long candidate = IngestWatermark.candidate(readAt, empty, streams.backlog().oldestPendingMillis());
            assertThat(candidate).isEqualTo(readAt + 80);
            // What the bound relies on: an entry added after the wait gets a time at or after its end.
            final StreamEntryID next = own.xadd(FIRST, Map.of("d", "wm-1"), XAddParams.xAddParams());
            assertThat(next.getTime()).isGreaterThanOrEqualTo(candidate);

            final CompletableFuture<TelemetryStreams.Read> waiting =
                    CompletableFuture.supplyAsync(() -> streams.readNew(10, 5_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                own.xadd(SECOND, Map.of("d", "wm-2"), XAddParams.xAddParams());
                return waiting.isDone();
            });
            assertThat(waiting.join().deliveries()).isNotEmpty();
            assertThat(waiting.join().waitedOutMillis()).isZero();
        }
    }

    /** Entries with the ids {@code from}-0 to {@code to}-0, i.e. one per millisecond. */
    private static void addEntries(final RedisClient client, final String stream, final int from, final int to) {
        for (int millis = from; millis <= to; millis++) {
            client.xadd(stream, Map.of("d", "many-1"), XAddParams.xAddParams().id(new StreamEntryID(millis, 0)));
        }
    }

    private static Map<String, List<StreamEntryID>> acks(final TelemetryStreams.Read read) {
        final Map<String, List<StreamEntryID>> acks = new LinkedHashMap<>();
        for (final Delivery delivery : read.deliveries()) {
            acks.computeIfAbsent(delivery.stream(), key -> new ArrayList<>()).add(delivery.id());
        }
        return acks;
    }
}
