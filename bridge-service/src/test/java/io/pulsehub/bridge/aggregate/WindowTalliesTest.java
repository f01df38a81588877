package io.pulsehub.bridge.aggregate;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;
import io.pulsehub.contract.Reading;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class WindowTalliesTest {

    private static final AggregateWindow TEN_SECONDS = new AggregateWindow("10s", 10_000);
    private static final AggregateWindow MINUTE = new AggregateWindow("1m", 60_000);
    private static final long START = 1_732_329_960_000L;

    private final WindowTallies tallies = new WindowTallies(List.of(TEN_SECONDS, MINUTE), 2_000, "b1/one");

    private static Reading at(final long millis, final Map<String, Double> metrics) {
        return new Reading(millis * 1_000_000L, metrics);
    }

    @Test
    void keepsCountSumMinMaxMeanAndLastPerDeviceAndWindow() {
        tallies.add("d2", List.of(at(START + 100, Map.of("t", 21.5, "h", 40.0)),
                at(START + 400, Map.of("t", 22.25))));
        tallies.add("d2", List.of(at(START + 999, Map.of("t", 20.0, "h", 42.0))));
        tallies.add("d1", List.of(at(START + 10_500, Map.of("t", 7.0))));

        final WindowTallies.Kept first = tallies.kept(TEN_SECONDS, START).orElseThrow();
        assertThat(first.needQuery()).isEmpty();
        assertThat(first.aggregates()).containsExactly(new Aggregate("d2", "10s", START, START + 10_000, 0, Map.of(
                "t", new MetricSummary(3, 63.75, 20.0, 22.25, 21.25, 20.0),
                "h", new MetricSummary(2, 82.0, 40.0, 42.0, 41.0, 42.0))));
        assertThat(tallies.kept(TEN_SECONDS, START + 10_000).orElseThrow().aggregates())
                .extracting(Aggregate::device).containsExactly("d1");
        // The minute holds both, sorted by device.
        assertThat(tallies.kept(MINUTE, START).orElseThrow().aggregates())
                .extracting(Aggregate::device, a -> a.metrics().get("t").count())
                .containsExactly(tuple("d1", 1L),
                        tuple("d2", 3L));
    }

    @Test
    void aWindowWithoutReadingsIsKeptEmpty() {
        assertThat(tallies.kept(TEN_SECONDS, START)).contains(new WindowTallies.Kept(List.of(), Set.of()));
    }

    @Test
    void aDeviceWhoseReadingsComeOutOfTimeOrderIsLeftToTheQuery() {
        tallies.add("ordered", List.of(at(START + 1, Map.of("t", 1.0)), at(START + 2, Map.of("t", 2.0))));
        tallies.add("twice", List.of(at(START + 1, Map.of("t", 1.0))));
        tallies.add("twice", List.of(at(START + 1, Map.of("t", 1.0)))); // a redelivered entry, written again
        tallies.add("backwards", List.of(at(START + 5, Map.of("t", 1.0)), at(START + 3, Map.of("t", 2.0))));
        tallies.add("backwards", List.of(at(START + 9, Map.of("t", 3.0)))); // in order again: still unknown

        final WindowTallies.Kept kept = tallies.kept(TEN_SECONDS, START).orElseThrow();

        assertThat(kept.aggregates()).extracting(Aggregate::device).containsExactly("ordered");
        assertThat(kept.needQuery()).containsExactlyInAnyOrder("twice", "backwards");
    }

    @Test
    void sumsMinimaAndMaximaAsInfluxDbDoesOverPointsInTimeOrder() {
        tallies.add("zero", List.of(at(START + 1, Map.of("negative", -0.0, "tie", 0.0))));
        tallies.add("zero", List.of(at(START + 2, Map.of("tie", -0.0))));
        tallies.add("order", List.of(at(START + 1, Map.of("v", 0.1)), at(START + 2, Map.of("v", 0.2)),
                at(START + 3, Map.of("v", 0.3))));

        final Map<String, Aggregate> byDevice = new HashMap<>();
        tallies.kept(TEN_SECONDS, START).orElseThrow().aggregates().forEach(a -> byDevice.put(a.device(), a));

        // A lone -0.0 sums to -0.0 (0.0 + -0.0 would be 0.0); ties keep the earliest value.
        assertThat(byDevice.get("zero").metrics().get("negative"))
                .isEqualTo(new MetricSummary(1, -0.0, -0.0, -0.0, -0.0, -0.0));
        assertThat(byDevice.get("zero").metrics().get("tie"))
                .isEqualTo(new MetricSummary(2, 0.0, 0.0, 0.0, 0.0, -0.0));
        // Added in time order: (0.1 + 0.2) + 0.3, not 0.1 + (0.2 + 0.3).
        assertThat(byDevice.get("order").metrics().get("v").sum()).isEqualTo((0.1 + 0.2) + 0.3);
    }

    @Test
    void forgetsClosedWindowsAndIgnoresReadingsForThem() {
        tallies.add("d1", List.of(at(START + 1, Map.of("t", 1.0)), at(START + 10_001, Map.of("t", 2.0))));

        tallies.forget(TEN_SECONDS, START + 10_000);

        assertThat(tallies.kept(TEN_SECONDS, START)).isEmpty();
        assertThat(tallies.kept(TEN_SECONDS, START + 10_000)).isPresent();
        tallies.add("d2", List.of(at(START + 2, Map.of("t", 1.0)))); // late for 10 s: the query's business now
        assertThat(tallies.kept(TEN_SECONDS, START)).isEmpty();
        // The minute is still open and counts it.
        assertThat(tallies.kept(MINUTE, START).orElseThrow().aggregates())
                .extracting(Aggregate::device, a -> a.metrics().get("t").count())
                .containsExactly(tuple("d1", 2L), tuple("d2", 1L));
    }

    @Test
    void anInstanceThatDoesNotLeadForgetsWhatTheWatermarkLetsClose() {
        tallies.add("d1", List.of(at(START + 1, Map.of("t", 1.0)), at(START + 10_001, Map.of("t", 2.0))));
        assertThat(tallies.windowsKept()).isEqualTo(3);

        // The first 10 s window can close at its end + lateness; the second and the minute cannot yet.
        tallies.forgetClosable(START + 12_000);

        assertThat(tallies.kept(TEN_SECONDS, START)).isEmpty();
        assertThat(tallies.kept(TEN_SECONDS, START + 10_000)).isPresent();
        assertThat(tallies.kept(MINUTE, START)).isPresent();
        assertThat(tallies.windowsKept()).isEqualTo(2);

        tallies.forgetClosable(START + 62_000);
        assertThat(tallies.windowsKept()).isZero();
    }
}
