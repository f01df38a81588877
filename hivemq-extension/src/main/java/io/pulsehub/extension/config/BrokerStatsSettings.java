package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.time.Duration;

/**
 * How this broker node reports its numbers to Redis for the bridges to write to InfluxDB.
 *
 * @param node     the node's name in Redis and in the {@code broker} tag of InfluxDB; stable across restarts, unique
 *                 among the nodes sharing a Redis
 * @param interval how often the node writes its sample
 */
public record BrokerStatsSettings(@NotNull String node, @NotNull Duration interval) {

    public static final int DEFAULT_INTERVAL_MS = 5_000;
    /** Used when the host has no name Java can tell; the same on every such node, so set HUB_BROKER_NODE there. */
    public static final String FALLBACK_NODE = "broker";
}
