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
}
