package io.pulsehub.bridge.stream;

import redis.clients.jedis.StreamEntryID;

/** The lowest entry id a consumer group still needs; everything below it may be trimmed. */
final class TrimFloor {

    private TrimFloor() {
    }

    /**
     * @param lastDelivered the group's last delivered id: everything after it is undelivered
     * @param oldestPending the group's oldest pending id, or {@code null} when nothing is pending
     */
    static StreamEntryID of(final StreamEntryID lastDelivered, final StreamEntryID oldestPending) {
        final StreamEntryID firstUndelivered =
                new StreamEntryID(lastDelivered.getTime(), lastDelivered.getSequence() + 1);
        return oldestPending != null && oldestPending.compareTo(firstUndelivered) < 0
                ? oldestPending : firstUndelivered;
    }
}
