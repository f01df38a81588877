package io.pulsehub.bridge.stream;

import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.contract.Identifiers;
import io.pulsehub.contract.StreamLayout;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntryBinary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dead-letter stream {@code pulsehub:telemetry:dlq} as operators see it: list its entries page by page and
 * replay them into their partition stream once the cause is fixed. Each dead letter carries the original entry's
 * fields plus {@code stream}, {@code id} and {@code reason}.
 */
@Singleton
public class DeadLetterQueue {

    static final String STREAM_FIELD = "stream";
    static final String ID_FIELD = "id";
    static final String REASON_FIELD = "reason";
    static final Set<String> OWN_FIELDS = Set.of(STREAM_FIELD, ID_FIELD, REASON_FIELD);

    private static final Logger log = LoggerFactory.getLogger(DeadLetterQueue.class);
    private static final byte[] KEY = StreamLayout.DEAD_LETTER_STREAM.getBytes(StandardCharsets.UTF_8);
    private static final byte[] DEVICE_FIELD = {'d'};
    private static final byte[] PAYLOAD_FIELD = {'p'};
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,19}-\\d{1,19}");
    private static final int REPLAY_PAGE = 100;

    /**
     * One dead letter.
     *
     * @param id         its id in the dead-letter stream
     * @param stream     the stream it came from
     * @param originalId its id there
     * @param device     the device of the original entry, {@code null} when it had none
     * @param payload    the original payload, {@code null} when it had none
     */
    public record DeadEntry(String id, String stream, String originalId, String device, String reason,
                            byte[] payload) {

        /** When it was dead-lettered: the id's Redis time. */
        public long deadAtMillis() {
            return new StreamEntryID(id).getTime();
        }
    }

    /** @param next the id to list after for the following page, {@code null} on the last page */
    public record Page(long total, List<DeadEntry> entries, String next) {
    }

    public record Replayed(String id, String stream, String newId) {
    }

    public record Skipped(String id, String reason) {
    }

    /** @param missing requested ids that are not in the dead-letter stream (replayed already, or never there) */
    public record ReplayReport(List<Replayed> replayed, List<String> missing, List<Skipped> skipped) {
    }

    private final UnifiedJedis redis;
    private final StreamLayout layout;
    private final Set<String> partitions;

    DeadLetterQueue(final UnifiedJedis redis, final BridgeConfig config) {
        this.redis = redis;
        this.layout = config.streams();
        final List<String> keys = new ArrayList<>();
        for (int partition = 0; partition < layout.partitions(); partition++) {
            keys.add(layout.streamKey(partition));
        }
        this.partitions = Set.copyOf(keys);
    }

    /** Whether {@code text} is a stream entry id such as {@code 1732330000123-0}. */
    public static boolean isEntryId(final String text) {
        return text != null && ENTRY_ID.matcher(text).matches();
    }

    public long size() {
        return redis.xlen(KEY);
    }

    /**
     * @param after an entry id: the page starts after it; {@code null} for the first page
     * @param limit entries per page
     */
    public Page list(final String after, final int limit) {
        final String start = after == null ? "-" : "(" + after;
        final List<StreamEntryBinary> entries = range(start, "+", limit + 1);
        final List<DeadEntry> page = new ArrayList<>(Math.min(limit, entries.size()));
        for (final StreamEntryBinary entry : entries.subList(0, Math.min(limit, entries.size()))) {
            page.add(deadEntry(entry));
        }
        final String next = entries.size() > limit ? page.get(page.size() - 1).id() : null;
        return new Page(size(), page, next);
    }

    /** Replays the given dead letters, in the order given. */
    public ReplayReport replay(final List<String> ids) {
        final List<Replayed> replayed = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        for (final String id : ids) {
            final List<StreamEntryBinary> found = range(id, id, 1);
            if (found.isEmpty()) {
                missing.add(id);
            } else {
                replayOne(found.get(0), replayed, skipped);
            }
        }
        return new ReplayReport(replayed, missing, skipped);
    }

    /**
     * Replays every dead letter there is now. Entries that fail again come back with new ids after the last one seen
     * here, so this ends even when nothing is fixed.
     */
    public ReplayReport replayAll() {
        final List<Replayed> replayed = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        final List<StreamEntryBinary> newest = entries(redis.xrevrange(KEY, bytes("+"), bytes("-"), 1));
        if (newest.isEmpty()) {
            return new ReplayReport(replayed, List.of(), skipped);
        }
        final String last = newest.get(0).getID().toString();
        String start = "-";
        while (true) {
            final List<StreamEntryBinary> page = range(start, last, REPLAY_PAGE);
            for (final StreamEntryBinary entry : page) {
                replayOne(entry, replayed, skipped);
            }
            if (page.size() < REPLAY_PAGE || page.get(page.size() - 1).getID().toString().equals(last)) {
                return new ReplayReport(replayed, List.of(), skipped);
            }
            start = "(" + page.get(page.size() - 1).getID();
        }
    }

    /**
     * XADD before XDEL: a crash in between leaves the entry in both streams, and writing it twice rewrites the same
     * points (their identity comes from the entry's fields), while the other order could lose it.
     */
    private void replayOne(final StreamEntryBinary entry, final List<Replayed> replayed,
                           final List<Skipped> skipped) {
        final String id = entry.getID().toString();
        final Map<byte[], byte[]> original = new LinkedHashMap<>();
        for (final Map.Entry<byte[], byte[]> field : entry.getFields().entrySet()) {
            if (!OWN_FIELDS.contains(new String(field.getKey(), StandardCharsets.UTF_8))) {
                original.put(field.getKey(), field.getValue());
            }
        }
        if (original.isEmpty()) {
            skipped.add(new Skipped(id, "the original entry was already gone when it was dead-lettered"));
            return;
        }
        final Optional<String> target = partitionOf(entry.getFields());
        if (target.isEmpty()) {
            skipped.add(new Skipped(id, "no device id and not from a telemetry partition: no consumer would read it"));
            return;
        }
        final byte[] newId = redis.xadd(target.get().getBytes(StandardCharsets.UTF_8), XAddParams.xAddParams(),
                original);
        redis.xdel(StreamLayout.DEAD_LETTER_STREAM, entry.getID());
        final String added = new String(newId, StandardCharsets.US_ASCII);
        log.info("Replayed dead letter {} into {} as {}", id, target.get(), added);
        replayed.add(new Replayed(id, target.get(), added));
    }

    /** The partition of the entry's device under the current layout, else the stream it came from if it is ours. */
    private Optional<String> partitionOf(final Map<byte[], byte[]> fields) {
        final String device = text(fields, DEVICE_FIELD);
        if (Identifiers.isDeviceId(device)) {
            return Optional.of(layout.streamOf(device));
        }
        final String stream = text(fields, bytes(STREAM_FIELD));
        return partitions.contains(stream) ? Optional.of(stream) : Optional.empty();
    }

    private List<StreamEntryBinary> range(final String start, final String end, final int count) {
        return entries(redis.xrange(KEY, bytes(start), bytes(end), count));
    }

    private static List<StreamEntryBinary> entries(final List<Object> reply) {
        return reply == null ? List.of() : BuilderFactory.STREAM_ENTRY_BINARY_LIST.build(reply);
    }

    private static DeadEntry deadEntry(final StreamEntryBinary entry) {
        final Map<byte[], byte[]> fields = entry.getFields();
        final String device = text(fields, DEVICE_FIELD);
        return new DeadEntry(entry.getID().toString(), text(fields, bytes(STREAM_FIELD)),
                text(fields, bytes(ID_FIELD)), device, text(fields, bytes(REASON_FIELD)),
                value(fields, PAYLOAD_FIELD));
    }

    private static String text(final Map<byte[], byte[]> fields, final byte[] name) {
        final byte[] value = value(fields, name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] value(final Map<byte[], byte[]> fields, final byte[] name) {
        for (final Map.Entry<byte[], byte[]> field : fields.entrySet()) {
            if (Arrays.equals(field.getKey(), name)) {
                return field.getValue();
            }
        }
        return null;
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
