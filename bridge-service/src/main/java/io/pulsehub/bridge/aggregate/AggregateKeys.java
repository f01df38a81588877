package io.pulsehub.bridge.aggregate;

/** Where the aggregation keeps its progress in Redis, so that it survives restarts and can move between instances. */
public final class AggregateKeys {

    static final String PREFIX = "pulsehub:aggregates:";
    static final String LEADER = PREFIX + "leader";

    private AggregateKeys() {
    }

    /** End (epoch ms) of the last window of this length that was closed and published: the next one starts there. */
    static String closed(final AggregateWindow window) {
        return PREFIX + "closed:" + window.name();
    }

    /** Set of {@code {start}:{device}} whose window may have closed before a reading for it was written. */
    public static String late(final AggregateWindow window) {
        return PREFIX + "late:" + window.name();
    }

    /**
     * Set of the bridge instances ({@link WindowTallies#writerId}) that wrote readings of the window starting at
     * {@code start}; expires a while after the window's close.
     */
    static String writers(final AggregateWindow window, final long start) {
        return PREFIX + "writers:" + window.name() + ":" + start;
    }

    static String lateMember(final long start, final String deviceId) {
        return start + ":" + deviceId;
    }
}
