package io.pulsehub.bridge.stream;

import io.pulsehub.contract.StreamLayout;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntryBinary;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingSummary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    private static final Set<String> DEAD_LETTER_FIELDS = Set.of("stream", "id", "reason");

    /** What one read returned, and whether it emptied every stream it asked (fewer entries than asked for). */
    record Read(List<Delivery> deliveries, boolean drained) {
    }

    /** The pending entries of the whole group: how many, and the oldest one's Redis time (or -1 when none). */
    record Backlog(long pending, long oldestPendingMillis) {
    }

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

    /** This consumer's entries that were delivered but not acknowledged (after a crash or a claim). */
    List<Delivery> readOwnPending(final int countPerStream) {
        final Map<byte[], StreamEntryID> from = new LinkedHashMap<>();
        for (final String key : keys) {
            from.put(key.getBytes(StandardCharsets.UTF_8), PENDING_FROM_START);
        }
        return read(XReadGroupParams.xReadGroupParams().count(countPerStream), countPerStream, from).deliveries();
    }

    /** Entries never delivered to any consumer of the group; waits up to {@code blockMillis} for one. */
    Read readNew(final int countPerStream, final int blockMillis) {
        final Map<byte[], StreamEntryID> from = new LinkedHashMap<>();
        for (final String key : keys) {
            from.put(key.getBytes(StandardCharsets.UTF_8), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
        }
        return read(XReadGroupParams.xReadGroupParams().count(countPerStream).block(blockMillis), countPerStream,
                from);
    }

    private Read read(final XReadGroupParams params, final int countPerStream,
                      final Map<byte[], StreamEntryID> from) {
        final List<Map.Entry<byte[], List<StreamEntryBinary>>> reply =
                redis.xreadGroupBinary(GROUP, consumer, params, from);
        if (reply == null) {
            return new Read(List.of(), true);
        }
        final List<Delivery> deliveries = new ArrayList<>();
        boolean drained = true;
        for (final Map.Entry<byte[], List<StreamEntryBinary>> stream : reply) {
            final String key = new String(stream.getKey(), StandardCharsets.UTF_8);
            final List<StreamEntryBinary> entries = stream.getValue() == null ? List.of() : stream.getValue();
            if (entries.size() >= countPerStream) {
                drained = false;
            }
            for (final StreamEntryBinary entry : entries) {
                deliveries.add(new Delivery(key, entry.getID(), entry.getFields()));
            }
        }
        return new Read(deliveries, drained);
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
     * In one round trip: marks late readings, moves dead letters (with the reason and the original fields) and
     * acknowledges every entry of the batch. The dead letter is added before the ack, so a crash in between repeats
     * it rather than losing it.
     */
    void settle(final Map<String, List<StreamEntryID>> acks, final List<DeadLetter> deadLetters,
                final Map<String, Set<String>> lateMarks) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (final Map.Entry<String, Set<String>> marks : lateMarks.entrySet()) {
                pipeline.sadd(marks.getKey(), marks.getValue().toArray(String[]::new));
            }
            for (final DeadLetter dead : deadLetters) {
                pipeline.xadd(DEAD_LETTERS, XAddParams.xAddParams(), deadLetterFields(dead));
            }
            final List<Response<Long>> replies = new ArrayList<>();
            for (final Map.Entry<String, List<StreamEntryID>> stream : acks.entrySet()) {
                replies.add(pipeline.xack(stream.getKey(), StreamLayout.CONSUMER_GROUP,
                        stream.getValue().toArray(StreamEntryID[]::new)));
            }
            pipeline.sync();
            replies.forEach(Response::get); // surfaces an error reply of any XACK
        }
    }

    static Map<byte[], byte[]> deadLetterFields(final DeadLetter dead) {
        final Map<byte[], byte[]> fields = new LinkedHashMap<>();
        fields.put(bytes("stream"), bytes(dead.delivery().stream()));
        fields.put(bytes("id"), bytes(dead.delivery().id().toString()));
        fields.put(bytes("reason"), bytes(dead.reason()));
        if (dead.delivery().fields() != null) {
            for (final Map.Entry<byte[], byte[]> field : dead.delivery().fields().entrySet()) {
                // The three fields above are what a replay needs; an original field may not hide them.
                if (!DEAD_LETTER_FIELDS.contains(new String(field.getKey(), StandardCharsets.UTF_8))) {
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
