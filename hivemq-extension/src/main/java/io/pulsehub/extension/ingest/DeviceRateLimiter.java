package io.pulsehub.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per device id, not per connection: reconnecting does not refill it. Only authenticated
 * devices get a bucket, so the table is bounded by the fleet; full buckets are forgotten by {@link #sweep}.
 */
final class DeviceRateLimiter {

    private final int ratePerSecond;
    private final int burst;
    private final @NotNull LongSupplier nanoTime;
    private final @NotNull Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    DeviceRateLimiter(final int ratePerSecond, final int burst, final @NotNull LongSupplier nanoTime) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    boolean tryAcquire(final @NotNull String deviceId) {
        final long now = nanoTime.getAsLong();
        return buckets.computeIfAbsent(deviceId, id -> new TokenBucket(burst, ratePerSecond, now)).tryTake(now);
    }

    void sweep() {
        final long now = nanoTime.getAsLong();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }

    int tracked() {
        return buckets.size();
    }

    @NotNull String describe() {
        return ratePerSecond + " publishes per second, bursts of " + burst;
    }
}
