package io.pulsehub.bridge.stream;

import io.pulsehub.bridge.config.BridgeConfig;
import jakarta.inject.Singleton;
import redis.clients.jedis.UnifiedJedis;

/** How far the group lags behind the devices, over all partitions and all consumers of the group. */
@Singleton
public class StreamBacklog {

    /**
     * @param pending                entries delivered to a consumer and not acknowledged yet
     * @param undelivered            entries no consumer has read yet
     * @param oldestPendingAgeMillis age of the oldest entry not written yet, pending or undelivered; 0 when none
     */
    public record Lag(long pending, long undelivered, long oldestPendingAgeMillis) {

        /** Entries not written to InfluxDB yet. */
        public long backlog() {
            return pending + undelivered;
        }
    }

    private final UnifiedJedis redis;
    private final TelemetryStreams streams;

    StreamBacklog(final UnifiedJedis redis, final BridgeConfig config) {
        this.redis = redis;
        this.streams = new TelemetryStreams(redis, config.streams(), config.consumerName());
    }

    /** Asks Redis now (three round trips). */
    public Lag current() {
        final TelemetryStreams.Lag lag = streams.lag();
        // Entry ids are Redis times, so the age is measured on Redis's clock.
        final long age = lag.oldestUnwrittenMillis() < 0 ? 0
                : Math.max(0, RedisClock.millis(redis) - lag.oldestUnwrittenMillis());
        return new Lag(lag.pending(), lag.undelivered(), age);
    }
}
