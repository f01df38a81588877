package io.pulsehub.bridge.stream;

import java.util.function.LongUnaryOperator;

/**
 * Capped exponential backoff with jitter: 100 ms, 200 ms, … up to 5 s, each delay drawn from its upper half so that
 * several bridges retrying against one recovering server do not hit it in lockstep.
 */
public final class Backoff {

    static final long MIN_MILLIS = 100;
    static final long MAX_MILLIS = 5_000;

    /** Given a bound, a random number in [0, bound). */
    private final LongUnaryOperator random;
    private int failures;

    Backoff(final LongUnaryOperator random) {
        this.random = random;
    }

    public Backoff() {
        this(bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound));
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public long nextDelayMillis() {
        final long ceiling = MIN_MILLIS << Math.min(failures, 16);
        failures++;
        final long capped = Math.min(ceiling, MAX_MILLIS);
        final long half = capped / 2;
        return half + random.applyAsLong(capped - half + 1);
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }

    /** An outage is told at WARN when it starts and then every tenth retry, not on every retry. */
    public boolean worthWarning() {
        return failures <= 1 || failures % 10 == 0;
    }
}
