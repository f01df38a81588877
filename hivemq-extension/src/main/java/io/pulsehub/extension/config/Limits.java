package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.time.Duration;

/**
 * What one device, and the hub as a whole, may put into the telemetry streams.
 *
 * @param devicePublishRate     telemetry publishes per second a device may sustain (token bucket refill rate)
 * @param devicePublishBurst    publishes a device may send at once after being quiet (token bucket size)
 * @param maxPayloadBytes       largest telemetry payload; larger ones are refused with PACKET_TOO_LARGE
 * @param maxReadingsPerPayload most readings in one array payload, at most the contract's own cap
 * @param backlogHighWaterMark  stream entries (all partitions) beyond which telemetry is refused until the bridge
 *                              catches up
 * @param backlogSampleInterval how often the backlog is measured
 */
public record Limits(int devicePublishRate, int devicePublishBurst, int maxPayloadBytes, int maxReadingsPerPayload,
                     long backlogHighWaterMark, @NotNull Duration backlogSampleInterval) {

    public static final int DEFAULT_DEVICE_PUBLISH_RATE = 100;
    public static final int DEFAULT_DEVICE_PUBLISH_BURST = 200;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;
    public static final long DEFAULT_BACKLOG_HIGH_WATER_MARK = 1_000_000L;
    public static final int DEFAULT_BACKLOG_SAMPLE_MS = 500;
}
