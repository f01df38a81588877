package io.pulsehub.bridge.stream;

import java.util.Map;
import java.util.Set;

/**
 * Members to add to Redis sets when a batch is acknowledged, before its acks: the late marks of its readings (kept
 * until handled) and the windows' writers (which expire).
 *
 * @param members      per set key, the members to add
 * @param expiryMillis per set key that is to expire, its time to live from now
 */
record SetMarks(Map<String, Set<String>> members, Map<String, Long> expiryMillis) {

    static final SetMarks NONE = new SetMarks(Map.of(), Map.of());

    SetMarks {
        members = Map.copyOf(members);
        expiryMillis = Map.copyOf(expiryMillis);
    }
}
