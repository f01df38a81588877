package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.net.URI;
import java.time.Duration;

/**
 * The extension's settings, validated by {@link ConfigLoader} before anything starts.
 *
 * @param redisUrl            Redis with the device registry and the telemetry streams
 * @param streamPartitions    number of telemetry streams; the bridge must agree
 * @param writerBatchSize     most publishes stored in one pipelined round trip
 * @param writerQueueCapacity publishes that may wait for the writer before the hub answers "busy"
 * @param redisTimeout        connect and read timeout of every Redis call
 * @param ackTimeout          how long HiveMQ waits for an asynchronous answer of the extension
 * @param secrets             the JWT key and the service token hash, from the environment only
 * @param jwt                 how app tokens are verified beyond HS256
 * @param loginThrottle       how repeated failed logins are slowed down
 * @param limits              per-device and hub-wide telemetry limits
 * @param brokerStats         how this node reports its numbers (connections, logins, publishes) to Redis
 */
public record ExtensionConfig(@NotNull URI redisUrl, int streamPartitions, int writerBatchSize,
                              int writerQueueCapacity, @NotNull Duration redisTimeout, @NotNull Duration ackTimeout,
                              @NotNull Secrets secrets, @NotNull JwtSettings jwt,
                              @NotNull LoginThrottleSettings loginThrottle, @NotNull Limits limits,
                              @NotNull BrokerStatsSettings brokerStats) {

    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    public static final int DEFAULT_STREAM_PARTITIONS = 8;
    public static final int DEFAULT_WRITER_BATCH_SIZE = 512;
    public static final int DEFAULT_WRITER_QUEUE_CAPACITY = 20_000;
    public static final int DEFAULT_REDIS_TIMEOUT_MS = 2_000;
    public static final int DEFAULT_ACK_TIMEOUT_MS = 10_000;

    /** The Redis URL without user info, for logs. */
    public @NotNull String redisUrlForLog() {
        if (redisUrl.getUserInfo() == null) {
            return redisUrl.toString();
        }
        return redisUrl.getScheme() + "://***@" + redisUrl.getHost()
                + (redisUrl.getPort() < 0 ? "" : ":" + redisUrl.getPort())
                + (redisUrl.getRawPath() == null ? "" : redisUrl.getRawPath());
    }

    @Override
    public @NotNull String toString() {
        return "ExtensionConfig[redisUrl=" + redisUrlForLog() + ", streamPartitions=" + streamPartitions
                + ", writerBatchSize=" + writerBatchSize + ", writerQueueCapacity=" + writerQueueCapacity
                + ", redisTimeout=" + redisTimeout + ", ackTimeout=" + ackTimeout + ", secrets=" + secrets
                + ", jwt=" + jwt + ", loginThrottle=" + loginThrottle + ", limits=" + limits + ", brokerStats="
                + brokerStats + "]";
    }
}
