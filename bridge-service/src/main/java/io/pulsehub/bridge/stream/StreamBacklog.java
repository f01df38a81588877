package io.pulsehub.bridge.stream;

import io.pulsehub.bridge.config.BridgeConfig;
import jakarta.inject.Singleton;
import redis.clients.jedis.UnifiedJedis;

/** How far the group lags behind the devices: entries delivered but not acknowledged, and the oldest one's age. */
@Singleton
public class StreamBacklog {

    /** @param oldestPendingAgeMillis 0 when nothing is pending */
    public record Lag(long pending, long oldestPendingAgeMillis) {
    }

    private final UnifiedJedis redis;
    private final TelemetryStreams streams;

    StreamBacklog(final UnifiedJedis redis, final BridgeConfig config) {
        this.redis = redis;
        this.streams = new TelemetryStreams(redis, config.streams(), config.consumerName());
    }

    public Lag current() {
        final TelemetryStreams.Backlog backlog = streams.backlog();
        final long age = backlog.oldestPendingMillis() < 0 ? 0
                : Math.max(0, RedisClock.millis(redis) - backlog.oldestPendingMillis());
        return new Lag(backlog.pending(), age);
    }
}
