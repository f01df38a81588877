package io.pulsehub.bridge.aggregate;

import io.pulsehub.contract.Reading;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LateReadingsTest {

    private static final AggregateWindow TEN_SECONDS = new AggregateWindow("10s", 10_000);
    private static final AggregateWindow MINUTE = new AggregateWindow("1m", 60_000);

    private static Reading at(final long millis) {
        return new Reading(millis * 1_000_000L, Map.of("t", 1.0));
    }

    @Test
    void marksOnlyWindowsThatMayHaveClosedBeforeTheEntryEnteredRedis() {
        final LateReadings late = new LateReadings(List.of(TEN_SECONDS, MINUTE), 2_000);
        final Map<String, Set<String>> marks = new HashMap<>();

        // Window [60 000, 70 000) may close at 72 000: an entry that entered Redis at 71 999 is in time.
        late.collect("d1", List.of(at(65_000)), 71_999, marks);
        assertThat(marks).isEmpty();

        late.collect("d1", List.of(at(65_000)), 72_000, marks);
        assertThat(marks).containsOnly(Map.entry(AggregateKeys.late(TEN_SECONDS), Set.of("60000:d1")));

        marks.clear();
        late.collect("d2", List.of(at(5_000), at(15_000)), 200_000, marks);
        assertThat(marks).containsOnly(
                Map.entry("pulsehub:aggregates:late:10s", Set.of("0:d2", "10000:d2")),
                Map.entry("pulsehub:aggregates:late:1m", Set.of("0:d2")));
    }
}
