package io.pulsehub.bridge.config;

import io.pulsehub.bridge.aggregate.AggregateWindow;
import io.pulsehub.contract.StreamLayout;

import java.net.URI;
import java.util.List;

/**
 * The bridge's settings, validated once at startup; the bridge refuses to start when any is bad.
 *
 * @param redisUrl        {@code HUB_REDIS_URL}
 * @param influxUrl       {@code HUB_INFLUX_URL}, the InfluxDB 1.x HTTP API
 * @param influxDb        {@code HUB_INFLUX_DB}
 * @param mqttUrl         {@code HUB_MQTT_URL}, where the aggregates are published
 * @param adminToken      {@code HUB_ADMIN_TOKEN}, the bearer token of the HTTP API
 * @param serviceToken    {@code HUB_SERVICE_TOKEN}, the bridge's MQTT password
 * @param streams         partitions from {@code HUB_STREAM_PARTITIONS}; must match the extension's
 * @param windows         {@code HUB_AGGREGATE_WINDOWS}
 * @param latenessMillis  {@code HUB_AGGREGATE_LATENESS}: how long after its end a window waits for stragglers
 * @param consumerName    {@code HUB_BRIDGE_CONSUMER}: this instance's consumer in the group, stable across restarts
 * @param claimIdleMillis {@code HUB_BRIDGE_CLAIM_IDLE}: pending entries idle this long are taken over
 * @param batchSize       {@code HUB_BRIDGE_BATCH_SIZE}: entries read per partition and round
 * @param maxDeliveries   {@code HUB_BRIDGE_MAX_DELIVERIES}: an entry delivered more often goes to the dead letters
 * @param lag             {@code HUB_HEALTH_LAG_DEGRADED} and {@code HUB_HEALTH_LAG_DOWN}
 * @param pipelineMetricsIntervalMillis {@code HUB_PIPELINE_METRICS_INTERVAL}: how often the pipeline metrics are
 *                        sampled and written to InfluxDB
 */
public record BridgeConfig(URI redisUrl, String influxUrl, String influxDb, String mqttUrl, String adminToken,
                           String serviceToken, StreamLayout streams, List<AggregateWindow> windows,
                           long latenessMillis, String consumerName, long claimIdleMillis, int batchSize,
                           int maxDeliveries, LagThresholds lag, long pipelineMetricsIntervalMillis) {

    /**
     * When the age of the oldest entry not yet written makes /health report the stream DEGRADED (still 200) or DOWN
     * (503).
     *
     * @param degradedMillis above this age the stream is DEGRADED
     * @param downMillis     above this age the stream is DOWN; 0 when lag alone never makes the bridge DOWN
     */
    public record LagThresholds(long degradedMillis, long downMillis) {

        public boolean downEnabled() {
            return downMillis > 0;
        }
    }

    public BridgeConfig {
        windows = List.copyOf(windows);
    }

    /** Never prints the tokens: configs end up in logs. */
    @Override
    public String toString() {
        return "BridgeConfig[redisUrl=" + redacted(redisUrl) + ", influxUrl=" + influxUrl + ", influxDb=" + influxDb
                + ", mqttUrl=" + mqttUrl + ", partitions=" + streams.partitions() + ", windows="
                + windows.stream().map(AggregateWindow::name).toList() + ", latenessMillis=" + latenessMillis
                + ", consumerName=" + consumerName + ", claimIdleMillis=" + claimIdleMillis + ", batchSize="
                + batchSize + ", maxDeliveries=" + maxDeliveries + ", lagDegradedMillis=" + lag.degradedMillis()
                + ", lagDownMillis=" + (lag.downEnabled() ? Long.toString(lag.downMillis()) : "off")
                + ", pipelineMetricsIntervalMillis=" + pipelineMetricsIntervalMillis + "]";
    }

    /** A Redis URL may carry a password ({@code redis://:secret@host}). */
    static String redacted(final URI uri) {
        return uri.getUserInfo() == null ? uri.toString() : uri.getScheme() + "://***@" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getPath() == null ? "" : uri.getPath());
    }
}
