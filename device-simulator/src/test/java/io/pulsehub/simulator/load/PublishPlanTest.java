package io.pulsehub.simulator.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PublishPlanTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long START = 5 * SECOND;

    @Test
    void theFirstReadingIsDueAtTheStartAndOneMorePerPeriod() {
        final PublishPlan plan = new PublishPlan(START, 1, Long.MAX_VALUE);
        assertThat(plan.dueBy(START - 1)).isZero();
        assertThat(plan.dueBy(START)).isEqualTo(1);
        assertThat(plan.dueBy(START + SECOND - 1)).isEqualTo(1);
        assertThat(plan.dueBy(START + SECOND)).isEqualTo(2);
        assertThat(plan.dueBy(START + 60 * SECOND)).isEqualTo(61);
    }

    @Test
    void decimalRates() {
        final PublishPlan slow = new PublishPlan(START, 0.2, Long.MAX_VALUE);
        assertThat(slow.dueBy(START + 4 * SECOND)).isEqualTo(1);
        assertThat(slow.dueBy(START + 5 * SECOND)).isEqualTo(2);
        final PublishPlan fast = new PublishPlan(START, 2.5, Long.MAX_VALUE);
        assertThat(fast.dueBy(START + 2 * SECOND)).isEqualTo(6);
        assertThat(fast.dueBy(START + 1000 * SECOND)).isEqualTo(2501);
    }

    @Test
    void neverMoreThanTheLimit() {
        final PublishPlan plan = new PublishPlan(START, 100, 20);
        assertThat(plan.dueBy(START + 3600 * SECOND)).isEqualTo(20);
    }

    @Test
    void unthrottledMeansEverythingIsDueAtOnce() {
        assertThat(new PublishPlan(START, 0, 20).dueBy(START)).isEqualTo(20);
        assertThat(new PublishPlan(START, 0, Long.MAX_VALUE).dueBy(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void devicesStartSpreadOverOnePeriod() {
        assertThat(PublishPlan.startOf(START, 1, 0, 4)).isEqualTo(START);
        assertThat(PublishPlan.startOf(START, 1, 1, 4)).isEqualTo(START + SECOND / 4);
        assertThat(PublishPlan.startOf(START, 1, 3, 4)).isEqualTo(START + 3 * SECOND / 4);
        assertThat(PublishPlan.startOf(START, 0, 3, 4)).as("unthrottled: all at once").isEqualTo(START);
    }

    @Test
    void aSmallFleetTicksOftenSoThatItsStaggeredStartsStayStaggered() {
        // 100 devices at 40/s: 4,000 readings a second; a tick per half period (12.5 ms) sent 50 at once.
        final long tick = PublishPlan.tickMicros(40, 100);
        assertThat(tick).isEqualTo(PublishPlan.MIN_TICK_MICROS);
        assertThat(40 * 100 * tick / 1e6).as("readings due per tick").isLessThanOrEqualTo(8);
    }

    @Test
    void aLargeFleetTicksLessOftenButStillEveryHalfPeriodOrAtLeastEvery50Ms() {
        assertThat(PublishPlan.tickMicros(1, 10_000)).isEqualTo(PublishPlan.MAX_TICK_MICROS);
        assertThat(PublishPlan.tickMicros(1, 1_000)).isEqualTo(5_000);
        assertThat(PublishPlan.tickMicros(100, 5_000)).as("half period of 100/s").isEqualTo(5_000);
        assertThat(PublishPlan.tickMicros(1_000, 10)).as("never below the minimum")
                .isEqualTo(PublishPlan.MIN_TICK_MICROS);
        assertThat(PublishPlan.tickMicros(0, 100)).as("unthrottled").isEqualTo(PublishPlan.UNTHROTTLED_TICK_MICROS);
    }
}
