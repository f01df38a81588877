package io.pulsehub.bridge.stream;

import io.pulsehub.contract.StreamLayout;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamEntryBinary;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The telemetry streams as this consumer of the group sees them: every Redis command the stream loop sends. */
final class TelemetryStreams {

    /** Stream entry ids start at 0-0; reading "after 0" from the group means this consumer's own pending entries. */
    private static final StreamEntryID PENDING_FROM_START = new StreamEntryID(0, 0);
    private static final byte[] GROUP = StreamLayout.CONSUMER_GROUP.getBytes(StandardCharsets.UTF_8);
    private static final byte[] DEAD_LETTERS = StreamLayout.DEAD_LETTER_STREAM.getBytes(StandardCharsets.UTF_8);

    /** Own pending entries read, and whether they were read one at a time to isolate a failing entry. */
    record OwnPending(List<Delivery> deliveries, boolean isolating) {
    }

    /** See {@link #readOwnPending}: a first redelivery is common (any crash), a second one is suspicious. */
    static final long ISOLATE_FROM_DELIVERIES = 2;

    /**
     * What one read of new entries returned, and how far it shows the group's deliveries to reach.
     *
     * @param drainedSome             whether some stream returned fewer entries than asked for (or none): it had
     *                                no undelivered entry left when the read was served
     * @param lastOfFullStreamsMillis the lowest Redis time among the last entries of the streams that returned as
     *                                many entries as asked for (more may wait there); {@link Long#MAX_VALUE} when
     *                                none did
     * @param waitedOutMillis         how long a blocking read waited in vain: its BLOCK when it timed out without
     *                                an entry, else 0
     */
    record Read(List<Delivery> deliveries, boolean drainedSome, long lastOfFullStreamsMillis, long waitedOutMillis) {

        /** Whether some stream returned as many entries as asked for, so that more may be waiting there. */
        boolean leftEntriesBehind() {
            return lastOfFullStreamsMillis != Long.MAX_VALUE;
        }
    }

    /** The pending entries of the whole group: how many, and the oldest one's Redis time (or -1 when none). */
    record Backlog(long pending, long oldestPendingMillis) {
    }

    /**
     * What the group has not written yet over all streams: entries delivered and not acknowledged, entries not
     * delivered at all, and the Redis time of the oldest of either (or -1 when there is none).
     */
    record Lag(long pending, long undelivered, long oldestUnwrittenMillis) {
    }

    /**
     * Entries one XREADGROUP of the bridge asks for over all streams together. Redis serves a command whole, at about
     * 2 µs an entry read (the reply and the group's bookkeeping of pending entries), and every device's XADD waits
     * behind it: a catching-up bridge reading 500 entries of each of 8 streams at once held Redis for 8 ms on a quiet
     * machine and up to 61 ms on a busy one (docs/benchmarks.md, item 22). Redis serves the broker between smaller
     * reads.
     */
    static final int MAX_ENTRIES_PER_READ = 512;

    /** Counting undelivered entries one by one is the fallback when Redis cannot tell the lag; it stops here. */
    static final int UNDELIVERED_COUNT_CAP = 10_000;

    /** {@link #settle}'s answer when the oldest pending entry is not known. */
    static final long PENDING_UNKNOWN = -2;

    private final UnifiedJedis redis;
    private final List<String> keys;
    private final byte[] consumer;
    private final String consumerName;

    TelemetryStreams(final UnifiedJedis redis, final StreamLayout layout, final String consumerName) {
        this.redis = redis;
        final List<String> all = new ArrayList<>(layout.partitions());
        for (int partition = 0; partition < layout.partitions(); partition++) {
            all.add(layout.streamKey(partition));
        }
        this.keys = List.copyOf(all);
        this.consumerName = consumerName;
        this.consumer = consumerName.getBytes(StandardCharsets.UTF_8);
    }

    /** Creates the group on every stream that lacks it, reading from the very first entry (none is skipped). */
    void ensureGroups() {
        for (final String key : keys) {
            try {
                redis.xgroupCreate(key, StreamLayout.CONSUMER_GROUP, PENDING_FROM_START, true);
            } catch (final JedisDataException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                    throw e;
                }
            }
        }
    }

    long serverTimeMillis() {
        return RedisClock.millis(redis);
    }

    /**
     * This consumer's entries that were delivered but not acknowledged (after a crash or a claim), each with its
     * delivery count. Reading them delivers them once more, which Redis counts: an entry that keeps crashing or
     * stalling its consumers shows up here with a growing count.
     *
     * <p>Once some of them were delivered {@link #ISOLATE_FROM_DELIVERIES} times, a whole batch has failed to be
     * acknowledged at least twice; they are then read one at a time, so that only the entry at fault keeps counting
     * towards the dead letters, not the innocent ones that happened to share its batch. One command reads them, of at
     * most {@link #MAX_ENTRIES_PER_READ} entries: what is left comes with the next call.
     */
    OwnPending readOwnPending(final int countPerStream) {
        final Map<String, Response<List<StreamPendingEntry>>> replies = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (final String key : keys) {
                replies.put(key, pipeline.xpending(key, StreamLayout.CONSUMER_GROUP,
                        XPendingParams.xPendingParams().count(countPerStream).consumer(consumerName)));
            }
            pipeline.sync();
        }
        String mostDelivered = null;
        long most = -1;
        for (final Map.Entry<String, Response<List<StreamPendingEntry>>> reply : replies.entrySet()) {
            for (final StreamPendingEntry pending : reply.getValue().get()) {
                if (pending.getDeliveredTimes() > most) {
                    most = pending.getDeliveredTimes();
                    mostDelivered = reply.getKey();
                }
            }
        }
        if (mostDelivered == null) {
            return new OwnPending(List.of(), false);
        }
        final boolean isolating = most >= ISOLATE_FROM_DELIVERIES;
        final Map<byte[], StreamEntryID> from = new LinkedHashMap<>();
        for (final String key : isolating ? List.of(mostDelivered) : keys) {
            from.put(key.getBytes(StandardCharsets.UTF_8), PENDING_FROM_START);
        }
        final int count = isolating ? 1 : perRead(countPerStream);
        final List<Delivery> deliveries =
                read(XReadGroupParams.xReadGroupParams().count(count), count, from, 0).deliveries();
        return new OwnPending(deliveries.isEmpty() ? deliveries : withDeliveryCounts(deliveries), isolating);
    }

    /** Asks XPENDING, per stream, for the delivery counts of the entries just read. */
    private List<Delivery> withDeliveryCounts(final List<Delivery> deliveries) {
        final Map<String, List<Delivery>> byStream = new LinkedHashMap<>();
        for (final Delivery delivery : deliveries) {
            byStream.computeIfAbsent(delivery.stream(), key -> new ArrayList<>()).add(delivery);
        }
        final Map<String, Response<List<StreamPendingEntry>>> replies = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (final Map.Entry<String, List<Delivery>> stream : byStream.entrySet()) {
                final List<Delivery> entries = stream.getValue();
                // XREADGROUP returns a stream's entries in id order.
                replies.put(stream.getKey(), pipeline.xpending(stream.getKey(), StreamLayout.CONSUMER_GROUP,
                        XPendingParams.xPendingParams(entries.get(0).id(), entries.get(entries.size() - 1).id(),
                                entries.size()).consumer(consumerName)));
            }
            pipeline.sync();
        }
        final List<Delivery> counted = new ArrayList<>(deliveries.size());
        for (final Map.Entry<String, List<Delivery>> stream : byStream.entrySet()) {
            final Map<StreamEntryID, Long> counts = new HashMap<>();
            for (final StreamPendingEntry pending : replies.get(stream.getKey()).get()) {
                counts.put(pending.getID(), pending.getDeliveredTimes());
            }
            for (final Delivery delivery : stream.getValue()) {
                counted.add(delivery.withDeliveries(counts.getOrDefault(delivery.id(), 0L)));
            }
        }
        return counted;
    }

    /**
     * Entries never delivered to any consumer of the group, up to {@code countPerStream} of each stream; waits up to
     * {@code blockMillis} for one, not at all when it is 0 (for Redis, BLOCK 0 would mean forever). A batch larger
     * than {@link #MAX_ENTRIES_PER_READ} is read in several commands, one round trip each.
     */
    Read readNew(final int countPerStream, final int blockMillis) {
        final Map<byte[], StreamEntryID> from = new LinkedHashMap<>();
        for (final String key : keys) {
            from.put(key.getBytes(StandardCharsets.UTF_8), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
        }
        final int perRead = perRead(countPerStream);
        final XReadGroupParams first = XReadGroupParams.xReadGroupParams().count(perRead);
        Read read = read(blockMillis > 0 ? first.block(blockMillis) : first, perRead, from, blockMillis);
        int leftPerStream = countPerStream - perRead;
        if (!read.leftEntriesBehind() || leftPerStream <= 0) {
            return read;
        }
        final List<Delivery> deliveries = new ArrayList<>(read.deliveries());
        while (read.leftEntriesBehind() && leftPerStream > 0) {
            final int count = Math.min(perRead, leftPerStream);
            read = read(XReadGroupParams.xReadGroupParams().count(count), count, from, 0);
            deliveries.addAll(read.deliveries());
            leftPerStream -= count;
        }
        // Every read asked each stream again, so the last one tells how far the deliveries reach; readAt, taken
        // before the first, is earlier than its own and so covers no more than it would (see IngestWatermark).
        return new Read(deliveries, read.drainedSome(), read.lastOfFullStreamsMillis(), 0);
    }

    /** Entries of each stream one read asks for, so that it asks for at most {@link #MAX_ENTRIES_PER_READ} in all. */
    private int perRead(final int countPerStream) {
        return Math.max(1, Math.min(countPerStream, MAX_ENTRIES_PER_READ / keys.size()));
    }

    private Read read(final XReadGroupParams params, final int countPerStream,
                      final Map<byte[], StreamEntryID> from, final int blockMillis) {
        final List<Map.Entry<byte[], List<StreamEntryBinary>>> reply =
                redis.xreadGroupBinary(GROUP, consumer, params, from);
        if (reply == null) {
            return new Read(List.of(), true, Long.MAX_VALUE, Math.max(0, blockMillis));
        }
        final List<Delivery> deliveries = new ArrayList<>();
        int fullStreams = 0;
        long lastOfFullStreams = Long.MAX_VALUE;
        for (final Map.Entry<byte[], List<StreamEntryBinary>> stream : reply) {
            final String key = new String(stream.getKey(), StandardCharsets.UTF_8);
            final List<StreamEntryBinary> entries = stream.getValue() == null ? List.of() : stream.getValue();
            if (entries.size() >= countPerStream) {
                fullStreams++;
                // XREADGROUP returns a stream's entries in id order.
                lastOfFullStreams = Math.min(lastOfFullStreams, entries.get(entries.size() - 1).getID().getTime());
            }
            for (final StreamEntryBinary entry : entries) {
                deliveries.add(new Delivery(key, entry.getID(), entry.getFields()));
            }
        }
        // A stream missing from the reply had nothing undelivered: Redis leaves such streams out.
        return new Read(deliveries, fullStreams < from.size(), lastOfFullStreams, 0);
    }

    /**
     * Takes over the entries of the group, on every stream, that no consumer acknowledged for {@code minIdleMillis}:
     * their consumer is most likely dead. They become this consumer's pending entries.
     *
     * @return how many were claimed
     */
    long claimIdle(final long minIdleMillis, final int count) {
        long claimed = 0;
        for (final String key : keys) {
            StreamEntryID cursor = PENDING_FROM_START;
            do {
                final Map.Entry<StreamEntryID, List<StreamEntryID>> page = redis.xautoclaimJustId(key,
                        StreamLayout.CONSUMER_GROUP, consumerName, minIdleMillis, cursor,
                        XAutoClaimParams.xAutoClaimParams().count(count));
                claimed += page.getValue().size();
                cursor = page.getKey();
            } while (cursor != null && !PENDING_FROM_START.equals(cursor));
        }
        return claimed;
    }

    /**
     * In one round trip: marks late readings and the windows written to, moves dead letters (with the reason and the
     * original fields), acknowledges every entry of the batch and then asks for the oldest entry still pending in the
     * group. The marks and dead letters go before the acks, so a crash in between repeats them rather than losing
     * them, and a window that closes on the watermark the acks move finds its writers complete.
     *
     * @return the Redis time of the oldest entry pending in the group after these acks, on any stream and for any
     *         consumer; -1 when none is; {@link #PENDING_UNKNOWN} when Redis could not tell (the acks went through)
     */
    long settle(final Map<String, List<StreamEntryID>> acks, final List<DeadLetter> deadLetters,
                final SetMarks marks) {
        final List<Response<StreamPendingSummary>> pending = new ArrayList<>(keys.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (final Map.Entry<String, Set<String>> set : marks.members().entrySet()) {
                pipeline.sadd(set.getKey(), set.getValue().toArray(String[]::new));
                final Long expiry = marks.expiryMillis().get(set.getKey());
                if (expiry != null) {
                    pipeline.pexpire(set.getKey(), expiry);
                }
            }
            for (final DeadLetter dead : deadLetters) {
                pipeline.xadd(DEAD_LETTERS, XAddParams.xAddParams(), deadLetterFields(dead));
            }
            final List<Response<Long>> replies = new ArrayList<>();
            for (final Map.Entry<String, List<StreamEntryID>> stream : acks.entrySet()) {
                replies.add(pipeline.xack(stream.getKey(), StreamLayout.CONSUMER_GROUP,
                        stream.getValue().toArray(StreamEntryID[]::new)));
            }
            // After the acks, so that every entry delivered before them and not acknowledged since is counted.
            for (final String key : keys) {
                pending.add(pipeline.xpending(key, StreamLayout.CONSUMER_GROUP));
            }
            pipeline.sync();
            replies.forEach(Response::get); // surfaces an error reply of any XACK
        }
        try {
            return oldestOf(pending);
        } catch (final JedisDataException e) {
            return PENDING_UNKNOWN; // e.g. a stream deleted meanwhile; the next read recreates it
        }
    }

    private static long oldestOf(final List<Response<StreamPendingSummary>> replies) {
        long oldest = -1;
        for (final Response<StreamPendingSummary> reply : replies) {
            final StreamPendingSummary summary = reply.get();
            if (summary.getTotal() > 0 && summary.getMinId() != null) {
                oldest = earlier(oldest, summary.getMinId().getTime());
            }
        }
        return oldest;
    }

    static Map<byte[], byte[]> deadLetterFields(final DeadLetter dead) {
        final Map<byte[], byte[]> fields = new LinkedHashMap<>();
        fields.put(bytes(DeadLetterQueue.STREAM_FIELD), bytes(dead.delivery().stream()));
        fields.put(bytes(DeadLetterQueue.ID_FIELD), bytes(dead.delivery().id().toString()));
        fields.put(bytes(DeadLetterQueue.REASON_FIELD), bytes(dead.reason()));
        if (dead.delivery().fields() != null) {
            for (final Map.Entry<byte[], byte[]> field : dead.delivery().fields().entrySet()) {
                // The three fields above are what a replay needs; an original field may not hide them.
                if (!DeadLetterQueue.OWN_FIELDS.contains(new String(field.getKey(), StandardCharsets.UTF_8))) {
                    fields.put(field.getKey(), field.getValue());
                }
            }
        }
        return fields;
    }

    /** Pending entries of the group over all streams, with the Redis time of the oldest. */
    Backlog backlog() {
        final List<Response<StreamPendingSummary>> replies = new ArrayList<>(keys.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (final String key : keys) {
                replies.add(pipeline.xpending(key, StreamLayout.CONSUMER_GROUP));
            }
            pipeline.sync();
        }
        long pending = 0;
        long oldest = -1;
        for (final Response<StreamPendingSummary> reply : replies) {
            final StreamPendingSummary summary = reply.get();
            pending += summary.getTotal();
            if (summary.getTotal() > 0 && summary.getMinId() != null) {
                final long millis = summary.getMinId().getTime();
                oldest = oldest < 0 ? millis : Math.min(oldest, millis);
            }
        }
        return new Backlog(pending, oldest);
    }

    /**
     * What the group has not written yet, in two round trips for all streams together. Redis's own count of the
     * undelivered entries (XINFO GROUPS lag) is used only where an entry after the last delivered one exists: after
     * an XDEL, Redis 7.0 may count entries that are not there, or none at all.
     */
    Lag lag() {
        final List<Response<List<StreamGroupInfo>>> groupReplies = new ArrayList<>(keys.size());
        final List<Response<StreamPendingSummary>> pendingReplies = new ArrayList<>(keys.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (final String key : keys) {
                groupReplies.add(pipeline.xinfoGroups(key));
                pendingReplies.add(pipeline.xpending(key, StreamLayout.CONSUMER_GROUP));
            }
            pipeline.sync();
        }
        long pending = 0;
        long oldestMillis = -1;
        final Map<String, StreamGroupInfo> groups = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            final StreamGroupInfo group = ourGroup(groupReplies.get(i));
            if (group == null) {
                continue; // no stream or no group yet: the consumer creates them, nothing was delivered
            }
            groups.put(keys.get(i), group);
            final StreamPendingSummary summary = pendingReplies.get(i).get();
            pending += summary.getTotal();
            if (summary.getTotal() > 0 && summary.getMinId() != null) {
                oldestMillis = earlier(oldestMillis, summary.getMinId().getTime());
            }
        }
        final Map<String, Response<List<StreamEntry>>> firstUndelivered = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            groups.forEach((key, group) -> firstUndelivered.put(key,
                    pipeline.xrange(key, after(group.getLastDeliveredId()), null, 1)));
            pipeline.sync();
        }
        long undelivered = 0;
        final Map<String, StreamEntryID> uncounted = new LinkedHashMap<>();
        for (final Map.Entry<String, Response<List<StreamEntry>>> reply : firstUndelivered.entrySet()) {
            final List<StreamEntry> first = reply.getValue().get();
            if (first.isEmpty()) {
                continue;
            }
            oldestMillis = earlier(oldestMillis, first.get(0).getID().getTime());
            final long lag = lagOf(groups.get(reply.getKey()));
            if (lag > 0) {
                undelivered += lag;
            } else {
                uncounted.put(reply.getKey(), first.get(0).getID());
            }
        }
        if (!uncounted.isEmpty()) {
            final List<Response<List<StreamEntry>>> counted = new ArrayList<>(uncounted.size());
            try (AbstractPipeline pipeline = redis.pipelined()) {
                uncounted.forEach((key, from) -> counted.add(
                        pipeline.xrange(key, from, null, UNDELIVERED_COUNT_CAP)));
                pipeline.sync();
            }
            for (final Response<List<StreamEntry>> reply : counted) {
                undelivered += reply.get().size();
            }
        }
        return new Lag(pending, undelivered, oldestMillis);
    }

    private static StreamEntryID after(final StreamEntryID id) {
        return new StreamEntryID(id.getTime(), id.getSequence() + 1);
    }

    private static long earlier(final long current, final long candidate) {
        return current < 0 ? candidate : Math.min(current, candidate);
    }

    /** XINFO GROUPS "lag" (Redis 7): undelivered entries of the group, or -1 where Redis cannot tell (nil). */
    private static long lagOf(final StreamGroupInfo group) {
        final Object lag = group.getGroupInfo().get("lag");
        if (lag instanceof Number number) {
            return number.longValue();
        }
        if (lag instanceof byte[] bytes) {
            try {
                return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
            } catch (final NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private static StreamGroupInfo ourGroup(final Response<List<StreamGroupInfo>> reply) {
        final List<StreamGroupInfo> groups;
        try {
            groups = reply.get();
        } catch (final JedisDataException e) {
            return null; // ERR no such key
        }
        for (final StreamGroupInfo group : groups) {
            if (StreamLayout.CONSUMER_GROUP.equals(group.getName())) {
                return group;
            }
        }
        return null;
    }

    /**
     * Removes the entries every group of the stream has acknowledged: those below the oldest entry that is still
     * pending or not yet delivered, in any group. Never by length, which could cut unacknowledged entries.
     *
     * @return entries removed
     */
    long trimAcknowledged() {
        long removed = 0;
        for (final String key : keys) {
            final List<StreamGroupInfo> groups = redis.xinfoGroups(key);
            if (groups.isEmpty()) {
                continue;
            }
            StreamEntryID floor = null;
            for (final StreamGroupInfo group : groups) {
                final StreamPendingSummary pending = redis.xpending(key, group.getName());
                final StreamEntryID keep = TrimFloor.of(group.getLastDeliveredId(),
                        pending.getTotal() > 0 ? pending.getMinId() : null);
                floor = floor == null || keep.compareTo(floor) < 0 ? keep : floor;
            }
            removed += redis.xtrim(key, XTrimParams.xTrimParams().minId(floor.toString()));
        }
        return removed;
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
