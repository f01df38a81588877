package io.pulsehub.bridge.stream;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

import static org.assertj.core.api.Assertions.assertThat;

class TrimFloorTest {

    @Test
    void keepsTheOldestPendingEntry() {
        assertThat(TrimFloor.of(new StreamEntryID(500, 3), new StreamEntryID(100, 7)))
                .isEqualTo(new StreamEntryID(100, 7));
    }

    @Test
    void withNothingPendingKeepsEverythingAfterTheLastDelivered() {
        assertThat(TrimFloor.of(new StreamEntryID(500, 3), null)).isEqualTo(new StreamEntryID(500, 4));
        assertThat(TrimFloor.of(new StreamEntryID(0, 0), null)).isEqualTo(new StreamEntryID(0, 1));
    }
}
