package io.pulsehub.contract;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerClockTest {

    @Test
    void timesAreDistinctAndNeverOnAWholeMillisecond() {
        final AtomicLong wall = new AtomicLong(1_732_330_000_000L);
        final BrokerClock clock = new BrokerClock(wall::get);

        long previous = 0;
        for (int i = 0; i < 5_000; i++) {
            final long t = clock.next();
            assertThat(t).isGreaterThanOrEqualTo(previous + BrokerClock.STEP_NANOS);
            // Room for a whole payload of readings without reaching the next millisecond.
            assertThat(t % 1_000_000L).isBetween(BrokerClock.STEP_NANOS, 1_000_000L - BrokerClock.STEP_NANOS);
            previous = t;
        }
    }

    @Test
    void followsTheWallClockWhenItMovesOn() {
        final AtomicLong wall = new AtomicLong(1_732_330_000_000L);
        final BrokerClock clock = new BrokerClock(wall::get);
        clock.next();
        wall.addAndGet(5_000);

        assertThat(Math.floorDiv(clock.next(), 1_000_000L)).isEqualTo(1_732_330_005_000L);
    }

    @Test
    void neverGoesBackWhenTheWallClockDoes() {
        final AtomicLong wall = new AtomicLong(1_732_330_000_000L);
        final BrokerClock clock = new BrokerClock(wall::get);
        final long first = clock.next();
        wall.addAndGet(-10_000);

        assertThat(clock.next()).isGreaterThan(first);
    }
}
