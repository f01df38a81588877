package io.pulsehub.bridge.config;

import io.pulsehub.bridge.aggregate.AggregateWindow;
import io.pulsehub.contract.StreamLayout;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns raw settings (environment variable name to value) into a {@link BridgeConfig}. Free of I/O so that every
 * rule is unit tested; the Micronaut factory only supplies the values and the log.
 */
public final class BridgeConfigParser {

    public static final String REDIS_URL = "HUB_REDIS_URL";
    public static final String INFLUX_URL = "HUB_INFLUX_URL";
    public static final String INFLUX_DB = "HUB_INFLUX_DB";
    public static final String MQTT_URL = "HUB_MQTT_URL";
    public static final String ADMIN_TOKEN = "HUB_ADMIN_TOKEN";
    public static final String SERVICE_TOKEN = "HUB_SERVICE_TOKEN";
    public static final String PARTITIONS = StreamLayout.PARTITIONS_ENV;
    public static final String WINDOWS = "HUB_AGGREGATE_WINDOWS";
    public static final String LATENESS = "HUB_AGGREGATE_LATENESS";
    public static final String CONSUMER = "HUB_BRIDGE_CONSUMER";
    public static final String CLAIM_IDLE = "HUB_BRIDGE_CLAIM_IDLE";
    public static final String BATCH_SIZE = "HUB_BRIDGE_BATCH_SIZE";
    public static final String MAX_DELIVERIES = "HUB_BRIDGE_MAX_DELIVERIES";
    public static final String LAG_DEGRADED = "HUB_HEALTH_LAG_DEGRADED";
    public static final String LAG_DOWN = "HUB_HEALTH_LAG_DOWN";
    public static final String PIPELINE_METRICS_INTERVAL = "HUB_PIPELINE_METRICS_INTERVAL";

    /** Every setting the bridge reads, for the Micronaut factory to look up. */
    public static final List<String> ALL = List.of(REDIS_URL, INFLUX_URL, INFLUX_DB, MQTT_URL, ADMIN_TOKEN,
            SERVICE_TOKEN, PARTITIONS, WINDOWS, LATENESS, CONSUMER, CLAIM_IDLE, BATCH_SIZE, MAX_DELIVERIES,
            LAG_DEGRADED, LAG_DOWN, PIPELINE_METRICS_INTERVAL);

    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern CONSUMER_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Set<String> MQTT_SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    private static final int MAX_BATCH = 10_000;
    /** The broker's extension refuses a shorter service token; the admin token guards as much. */
    static final int MIN_TOKEN_BYTES = 16;

    private final Function<String, String> settings;
    private final Consumer<String> defaultsLog;
    private final Supplier<String> hostname;

    /**
     * @param settings    value of a setting by its environment variable name, {@code null} or blank when unset
     * @param defaultsLog told about every default used
     * @param hostname    the default consumer name
     */
    public BridgeConfigParser(final Function<String, String> settings, final Consumer<String> defaultsLog,
                              final Supplier<String> hostname) {
        this.settings = settings;
        this.defaultsLog = defaultsLog;
        this.hostname = hostname;
    }

    /** @throws IllegalArgumentException naming the setting and what is wrong with it */
    public BridgeConfig parse() {
        final URI redisUrl = uri(REDIS_URL, valueOr(REDIS_URL, "redis://127.0.0.1:6379"), Set.of("redis", "rediss"));
        final String influxUrl = uri(INFLUX_URL, valueOr(INFLUX_URL, "http://127.0.0.1:8086"),
                Set.of("http", "https")).toString();
        final String influxDb = valueOr(INFLUX_DB, "pulsehub");
        if (!DATABASE.matcher(influxDb).matches()) {
            throw new IllegalArgumentException(INFLUX_DB + " must match [A-Za-z0-9_]{1,64}");
        }
        final String mqttUrl = uri(MQTT_URL, valueOr(MQTT_URL, "tcp://127.0.0.1:1883"), MQTT_SCHEMES).toString();
        final String adminToken = required(ADMIN_TOKEN, "the bearer token of the device API");
        final String serviceToken = required(SERVICE_TOKEN, "the bridge's MQTT password, the same as the broker's");
        final StreamLayout streams = new StreamLayout(integer(PARTITIONS,
                valueOr(PARTITIONS, Integer.toString(StreamLayout.DEFAULT_PARTITIONS)), 1, 1024));
        final List<AggregateWindow> windows = windows(valueOr(WINDOWS, "1m"));
        final long lateness = duration(LATENESS, valueOr(LATENESS, "2s"));
        final String consumer = valueOr(CONSUMER, hostname);
        if (!CONSUMER_NAME.matcher(consumer).matches()) {
            throw new IllegalArgumentException(CONSUMER + " must match [A-Za-z0-9_.:-]{1,128}");
        }
        final long claimIdle = duration(CLAIM_IDLE, valueOr(CLAIM_IDLE, "30s"));
        if (claimIdle < 100) {
            throw new IllegalArgumentException(CLAIM_IDLE + " must be at least 100ms");
        }
        final int batchSize = integer(BATCH_SIZE, valueOr(BATCH_SIZE, "500"), 1, MAX_BATCH);
        final int maxDeliveries = integer(MAX_DELIVERIES, valueOr(MAX_DELIVERIES, "5"), 1, 1000);
        final BridgeConfig.LagThresholds lag = lagThresholds();
        final long pipelineInterval = duration(PIPELINE_METRICS_INTERVAL, valueOr(PIPELINE_METRICS_INTERVAL, "10s"));
        if (pipelineInterval < 100) {
            throw new IllegalArgumentException(PIPELINE_METRICS_INTERVAL + " must be at least 100ms");
        }
        return new BridgeConfig(redisUrl, influxUrl, influxDb, mqttUrl, adminToken, serviceToken, streams, windows,
                lateness, consumer, claimIdle, batchSize, maxDeliveries, lag, pipelineInterval);
    }

    /**
     * Lag alone makes the bridge DOWN only when asked to: an orchestrator restarting a bridge that is catching up after
     * an outage would only make it fall further behind.
     */
    private BridgeConfig.LagThresholds lagThresholds() {
        final long degraded = duration(LAG_DEGRADED, valueOr(LAG_DEGRADED, "60s"));
        if (degraded < 1) {
            throw new IllegalArgumentException(LAG_DEGRADED + " must be longer than 0ms");
        }
        final String downSpec = raw(LAG_DOWN);
        if (downSpec == null) {
            defaultsLog.accept(LAG_DOWN + " not set, so stream lag never makes /health answer 503");
            return new BridgeConfig.LagThresholds(degraded, 0);
        }
        final long down = duration(LAG_DOWN, downSpec);
        if (down <= degraded) {
            throw new IllegalArgumentException(LAG_DOWN + " must be longer than " + LAG_DEGRADED + " ("
                    + degraded + "ms)");
        }
        return new BridgeConfig.LagThresholds(degraded, down);
    }

    private String raw(final String name) {
        final String value = settings.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private String valueOr(final String name, final String fallback) {
        return valueOr(name, () -> fallback);
    }

    private String valueOr(final String name, final Supplier<String> fallback) {
        final String value = raw(name);
        if (value != null) {
            return value;
        }
        final String chosen = fallback.get();
        defaultsLog.accept(name + " not set, using " + chosen);
        return chosen;
    }

    private String required(final String name, final String what) {
        final String value = raw(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required (" + what + ") and is not set");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length < MIN_TOKEN_BYTES) {
            throw new IllegalArgumentException(name + " must be at least " + MIN_TOKEN_BYTES + " bytes long");
        }
        return value;
    }

    private static URI uri(final String name, final String value, final Set<String> schemes) {
        final URI uri;
        try {
            uri = new URI(value);
        } catch (final URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be a URL with a host and one of the schemes "
                    + schemes.stream().sorted().toList());
        }
        return uri;
    }

    private static int integer(final String name, final String value, final int min, final int max) {
        try {
            final int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (final NumberFormatException e) {
            // reported below, with the range
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
    }

    private static long duration(final String name, final String value) {
        return DurationSpec.parseMillis(value, name);
    }

    private static List<AggregateWindow> windows(final String value) {
        try {
            return AggregateWindow.parseList(value);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(WINDOWS + ": " + e.getMessage());
        }
    }
}
