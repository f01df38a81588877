package io.pulsehub.simulator.watch;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AggregateLineTest {

    private static final long START = 1_732_330_000_000L; // 2024-11-23T02:46:40Z

    @Test
    void oneLineWithLocalTimesAndEveryMetric() {
        final Aggregate aggregate = new Aggregate("d1", "10s", START, START + 10_000, 0, Map.of(
                "temperature", new MetricSummary(6, 130.2, 21.0, 22.3, 21.7, 22.1),
                "humidity", new MetricSummary(6, 240, 39.5, 41.25, 40.0, 40.5)));

        assertThat(AggregateLine.format(aggregate, false, ZoneOffset.UTC)).isEqualTo("02:46:40–02:46:50  d1  10s"
                + "  humidity mean 40 min 39.5 max 41.25 count 6"
                + "  temperature mean 21.7 min 21 max 22.3 count 6");
        assertThat(AggregateLine.format(aggregate, false, ZoneId.of("Europe/Berlin")))
                .startsWith("03:46:40–03:46:50");
    }

    @Test
    void revisionsAndRetainedAggregatesAreMarked() {
        final Aggregate aggregate = new Aggregate("d1", "1m", START, START + 60_000, 2,
                Map.of("steps", new MetricSummary(1, 10_234, 10_234, 10_234, 10_234, 10_234)));

        assertThat(AggregateLine.format(aggregate, true, ZoneOffset.UTC))
                .endsWith("steps mean 10234 min 10234 max 10234 count 1  (revision 2)  (retained)");
    }

    @Test
    void numbersAreRoundedToTwoDecimals() {
        assertThat(AggregateLine.number(21.456)).isEqualTo("21.46");
        assertThat(AggregateLine.number(-3.0)).isEqualTo("-3");
        assertThat(AggregateLine.number(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(AggregateLine.number(1e9)).isEqualTo("1000000000");
    }
}
