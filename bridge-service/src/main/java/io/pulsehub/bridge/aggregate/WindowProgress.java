package io.pulsehub.bridge.aggregate;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.util.List;
import java.util.Set;

/**
 * The aggregation's state in Redis: how far each window length is closed, the late marks, who wrote to a window, and
 * who leads.
 */
final class WindowProgress {

    private static final String ADVANCE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
            return 1""";
    private static final String LEAD = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            return 0""";
    private static final String RESIGN = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
            return 1""";

    private final UnifiedJedis redis;

    WindowProgress(final UnifiedJedis redis) {
        this.redis = redis;
    }

    /**
     * End of the last closed window. The first time a window length is seen it starts at the current window: the
     * bridge aggregates from now on and does not backfill history.
     */
    long closedEnd(final AggregateWindow window, final long nowMillis) {
        final String key = AggregateKeys.closed(window);
        redis.set(key, Long.toString(window.startOf(nowMillis)), SetParams.setParams().nx());
        return Long.parseLong(redis.get(key));
    }

    /** Never moves backwards, even if two instances overlap while the lead changes hands. */
    void advance(final AggregateWindow window, final long end) {
        redis.eval(ADVANCE, List.of(AggregateKeys.closed(window)), List.of(Long.toString(end)));
    }

    /** Only one instance aggregates at a time; the lease lapses when its holder dies. */
    boolean lead(final String holder, final long leaseMillis) {
        return Long.valueOf(1).equals(redis.eval(LEAD, List.of(AggregateKeys.LEADER),
                List.of(holder, Long.toString(leaseMillis))));
    }

    void resign(final String holder) {
        redis.eval(RESIGN, List.of(AggregateKeys.LEADER), List.of(holder));
    }

    /** The instances that wrote readings of the window ({@link AggregateKeys#writers}); empty when none did. */
    Set<String> writers(final AggregateWindow window, final long start) {
        final Set<String> writers = redis.smembers(AggregateKeys.writers(window, start));
        return writers == null ? Set.of() : writers;
    }

    List<String> lateMarks(final AggregateWindow window, final int limit) {
        final List<String> members = redis.srandmember(AggregateKeys.late(window), limit);
        return members == null ? List.of() : members;
    }

    void clearLateMark(final AggregateWindow window, final String member) {
        redis.srem(AggregateKeys.late(window), member);
    }
}
