package io.pulsehub.extension.ingest;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceRateLimiterTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final DeviceRateLimiter limiter = new DeviceRateLimiter(10, 3, now::get);

    private void advanceMillis(final long millis) {
        now.addAndGet(millis * 1_000_000L);
    }

    @Test
    void burstIsAllowedThenTheRateHolds() {
        assertThat(limiter.tryAcquire("d1")).isTrue();
        assertThat(limiter.tryAcquire("d1")).isTrue();
        assertThat(limiter.tryAcquire("d1")).isTrue();
        assertThat(limiter.tryAcquire("d1")).isFalse();

        advanceMillis(99);
        assertThat(limiter.tryAcquire("d1")).isFalse();
        advanceMillis(1);
        assertThat(limiter.tryAcquire("d1")).isTrue();
        assertThat(limiter.tryAcquire("d1")).isFalse();
    }

    @Test
    void sustainedRateIsExactlyTheConfiguredOne() {
        int accepted = 0;
        for (int tick = 0; tick < 10_000; tick++) {
            advanceMillis(1);
            if (limiter.tryAcquire("d1")) {
                accepted++;
            }
        }

        // 10 s at 10 per second, plus the initial burst.
        assertThat(accepted).isBetween(100, 103);
    }

    @Test
    void devicesHaveBucketsOfTheirOwn() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("d1");
        }

        assertThat(limiter.tryAcquire("d1")).isFalse();
        assertThat(limiter.tryAcquire("d2")).isTrue();
    }

    @Test
    void idleDevicesAreForgottenOnlyOnceTheirBucketIsFull() {
        limiter.tryAcquire("d1");
        limiter.tryAcquire("d2");
        limiter.tryAcquire("d2");
        limiter.tryAcquire("d2");

        advanceMillis(100);
        limiter.sweep();
        assertThat(limiter.tracked()).isEqualTo(1);
        advanceMillis(200);
        limiter.sweep();
        assertThat(limiter.tracked()).isZero();
    }

    @Test
    void backwardsClockNeverAddsTokens() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("d1");
        }
        now.addAndGet(-1_000_000_000L);

        assertThat(limiter.tryAcquire("d1")).isFalse();
    }
}
