package io.pulsehub.extension.ingest;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code ratePerSecond}; a publish takes one.
 * Time comes from the caller, so the arithmetic is tested without a clock. Thread-safe.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long updatedNanos;

    TokenBucket(final int capacity, final int ratePerSecond, final long nowNanos) {
        this.capacity = capacity;
        this.tokensPerNano = ratePerSecond / NANOS_PER_SECOND;
        this.tokens = capacity;
        this.updatedNanos = nowNanos;
    }

    synchronized boolean tryTake(final long nowNanos) {
        refill(nowNanos);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Whether the bucket has refilled completely, i.e. forgetting it changes nothing. */
    synchronized boolean isFull(final long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(final long nowNanos) {
        final long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            updatedNanos = nowNanos;
        }
    }
}
