package io.pulsehub.simulator.load;

/**
 * The rate limiter of one device: how many readings it may have published by a given time. Deriving the number from
 * the elapsed time, rather than sleeping between publishes, keeps the long-run rate exact whatever the timer's jitter,
 * and lets a device that could not publish for a while (in-flight window full, reconnecting) catch up.
 *
 * @param startNanos    {@link System#nanoTime()} of this device's first reading
 * @param ratePerSecond 0 = no rate limit
 * @param limit         readings in total
 */
record PublishPlan(long startNanos, double ratePerSecond, long limit) {

    static final long MIN_TICK_MICROS = 2_000;
    static final long MAX_TICK_MICROS = 50_000;
    /** The tick of an unthrottled run, where acknowledgements drive the publishing anyway. */
    static final long UNTHROTTLED_TICK_MICROS = 10_000;
    /** Ticking costs about this much per device: a tick over a large fleet may come that much less often. */
    static final long TICK_MICROS_PER_DEVICE = 5;

    long dueBy(final long nowNanos) {
        if (ratePerSecond == 0) {
            return limit;
        }
        final long elapsed = nowNanos - startNanos;
        if (elapsed < 0) {
            return 0;
        }
        final double due = Math.floor(elapsed / 1e9 * ratePerSecond) + 1;
        return due >= limit ? limit : (long) due;
    }

    /**
     * Spreads the devices' first readings evenly over one period, so a thousand devices at 1/s do not all publish
     * in the same millisecond.
     */
    static long startOf(final long runStartNanos, final double ratePerSecond, final int deviceIndex,
                        final int devices) {
        if (ratePerSecond == 0) {
            return runStartNanos;
        }
        final double periodNanos = 1e9 / ratePerSecond;
        return runStartNanos + (long) (periodNanos * deviceIndex / devices);
    }

    /**
     * How often the fleet is asked to publish what is due. A tick publishes every reading that fell due since the
     * last one at the same instant, so the starts {@link #startOf spread over a period} survive only if ticks are
     * short against it: one tick per half period sent half the fleet at once (50 of 100 devices every
     * 12 ms at 40/s), a burst that no device fleet sends and every benchmark target had to absorb. Now every 2 ms
     * where the fleet is small enough to tick that often at about 5 µs a device; at least once per half period (down
     * to those 2 ms) and at least every 50 ms.
     */
    static long tickMicros(final double ratePerSecond, final int devices) {
        if (ratePerSecond == 0) {
            return UNTHROTTLED_TICK_MICROS;
        }
        final long halfPeriodMicros = (long) (500_000 / ratePerSecond);
        final long affordableMicros = (long) devices * TICK_MICROS_PER_DEVICE;
        return Math.max(MIN_TICK_MICROS, Math.min(MAX_TICK_MICROS, Math.min(halfPeriodMicros, affordableMicros)));
    }
}
