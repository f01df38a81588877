package io.pulsehub.bridge.config;

import io.pulsehub.bridge.aggregate.AggregateWindow;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BridgeConfigParserTest {

    private final List<String> defaults = new ArrayList<>();

    private BridgeConfig parse(final Map<String, String> settings) {
        return new BridgeConfigParser(settings::get, defaults::add, () -> "host-1").parse();
    }

    private static Map<String, String> required() {
        final Map<String, String> settings = new HashMap<>();
        settings.put("HUB_ADMIN_TOKEN", "admin-secret-0123456789");
        settings.put("HUB_SERVICE_TOKEN", "service-secret-0123456789");
        return settings;
    }

    @Test
    void usesAndLogsTheDocumentedDefaults() {
        final BridgeConfig config = parse(required());

        assertThat(config.redisUrl()).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        assertThat(config.influxUrl()).isEqualTo("http://127.0.0.1:8086");
        assertThat(config.influxDb()).isEqualTo("pulsehub");
        assertThat(config.mqttUrl()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(config.streams().partitions()).isEqualTo(8);
        assertThat(config.windows()).containsExactly(new AggregateWindow("1m", 60_000));
        assertThat(config.latenessMillis()).isEqualTo(2_000);
        assertThat(config.consumerName()).isEqualTo("host-1");
        assertThat(config.claimIdleMillis()).isEqualTo(30_000);
        assertThat(config.batchSize()).isEqualTo(500);
        assertThat(config.maxDeliveries()).isEqualTo(5);
        assertThat(config.lag()).isEqualTo(new BridgeConfig.LagThresholds(60_000, 0));
        assertThat(config.lag().downEnabled()).isFalse();
        assertThat(config.pipelineMetricsIntervalMillis()).isEqualTo(10_000);
        assertThat(defaults).hasSize(14).contains(
                "HUB_BRIDGE_MAX_DELIVERIES not set, using 5",
                "HUB_HEALTH_LAG_DOWN not set, so stream lag never makes /health answer 503",
                "HUB_REDIS_URL not set, using redis://127.0.0.1:6379",
                "HUB_AGGREGATE_WINDOWS not set, using 1m", "HUB_BRIDGE_CONSUMER not set, using host-1");
    }

    @Test
    void takesEverySettingGiven() {
        final Map<String, String> settings = required();
        settings.put("HUB_REDIS_URL", "redis://10.0.0.1:7000");
        settings.put("HUB_INFLUX_URL", "http://influx:8086");
        settings.put("HUB_INFLUX_DB", "hub_test");
        settings.put("HUB_MQTT_URL", "tcp://broker:1884");
        settings.put("HUB_STREAM_PARTITIONS", "3");
        settings.put("HUB_AGGREGATE_WINDOWS", "10s,1m");
        settings.put("HUB_AGGREGATE_LATENESS", "500ms");
        settings.put("HUB_BRIDGE_CONSUMER", "bridge-a");
        settings.put("HUB_BRIDGE_CLAIM_IDLE", "5s");
        settings.put("HUB_BRIDGE_BATCH_SIZE", "50");
        settings.put("HUB_BRIDGE_MAX_DELIVERIES", "3");
        settings.put("HUB_HEALTH_LAG_DEGRADED", "30s");
        settings.put("HUB_HEALTH_LAG_DOWN", "5m");
        settings.put("HUB_PIPELINE_METRICS_INTERVAL", "500ms");

        final BridgeConfig config = parse(settings);

        assertThat(defaults).isEmpty();
        assertThat(config.redisUrl()).isEqualTo(URI.create("redis://10.0.0.1:7000"));
        assertThat(config.influxDb()).isEqualTo("hub_test");
        assertThat(config.streams().partitions()).isEqualTo(3);
        assertThat(config.windows()).extracting(AggregateWindow::name).containsExactly("10s", "1m");
        assertThat(config.latenessMillis()).isEqualTo(500);
        assertThat(config.consumerName()).isEqualTo("bridge-a");
        assertThat(config.claimIdleMillis()).isEqualTo(5_000);
        assertThat(config.batchSize()).isEqualTo(50);
        assertThat(config.maxDeliveries()).isEqualTo(3);
        assertThat(config.lag()).isEqualTo(new BridgeConfig.LagThresholds(30_000, 300_000));
        assertThat(config.pipelineMetricsIntervalMillis()).isEqualTo(500);
    }

    @Test
    void refusesALagDownThresholdThatIsNotAboveTheDegradedOne() {
        final Map<String, String> settings = required();
        settings.put("HUB_HEALTH_LAG_DEGRADED", "1m");
        settings.put("HUB_HEALTH_LAG_DOWN", "30s");

        assertThatThrownBy(() -> parse(settings))
                .hasMessage("HUB_HEALTH_LAG_DOWN must be longer than HUB_HEALTH_LAG_DEGRADED (60000ms)");
    }

    @Test
    void refusesToStartWithoutTheTokens() {
        final String longEnough = "0123456789abcdef";
        assertThatThrownBy(() -> parse(Map.of("HUB_SERVICE_TOKEN", longEnough)))
                .hasMessageContaining("HUB_ADMIN_TOKEN");
        assertThatThrownBy(() -> parse(Map.of("HUB_SERVICE_TOKEN", longEnough, "HUB_ADMIN_TOKEN", "  ")))
                .hasMessageContaining("HUB_ADMIN_TOKEN is required");
        assertThatThrownBy(() -> parse(Map.of("HUB_ADMIN_TOKEN", longEnough)))
                .hasMessageContaining("HUB_SERVICE_TOKEN is required");
    }

    @Test
    void refusesShortTokens() {
        assertThatThrownBy(() -> parse(Map.of("HUB_ADMIN_TOKEN", "0123456789abcde", "HUB_SERVICE_TOKEN",
                "0123456789abcdef"))).hasMessage("HUB_ADMIN_TOKEN must be at least 16 bytes long");
        assertThatThrownBy(() -> parse(Map.of("HUB_ADMIN_TOKEN", "0123456789abcdef", "HUB_SERVICE_TOKEN",
                "short"))).hasMessage("HUB_SERVICE_TOKEN must be at least 16 bytes long");
    }

    @Test
    void namesTheBadSetting() {
        final Map<String, String> bad = Map.ofEntries(
                Map.entry("HUB_REDIS_URL", "http://localhost:6379"),
                Map.entry("HUB_INFLUX_URL", "influx:8086"),
                Map.entry("HUB_INFLUX_DB", "pulse hub"),
                Map.entry("HUB_MQTT_URL", "mqtt://x:1883"),
                Map.entry("HUB_STREAM_PARTITIONS", "0"),
                Map.entry("HUB_AGGREGATE_WINDOWS", "1m,fast"),
                Map.entry("HUB_AGGREGATE_LATENESS", "2 seconds"),
                Map.entry("HUB_BRIDGE_CONSUMER", "has space"),
                Map.entry("HUB_BRIDGE_CLAIM_IDLE", "10ms"),
                Map.entry("HUB_BRIDGE_BATCH_SIZE", "many"),
                Map.entry("HUB_BRIDGE_MAX_DELIVERIES", "0"),
                Map.entry("HUB_HEALTH_LAG_DEGRADED", "soon"),
                Map.entry("HUB_HEALTH_LAG_DOWN", "later"),
                Map.entry("HUB_PIPELINE_METRICS_INTERVAL", "50ms"));
        for (final Map.Entry<String, String> setting : bad.entrySet()) {
            final Map<String, String> settings = required();
            settings.put(setting.getKey(), setting.getValue());
            assertThatThrownBy(() -> parse(settings)).as(setting.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(setting.getKey());
        }
    }

    @Test
    void neverPrintsSecrets() {
        final Map<String, String> settings = required();
        settings.put("HUB_REDIS_URL", "redis://:redis-secret@127.0.0.1:6379");

        final String printed = parse(settings).toString();

        assertThat(printed).doesNotContain("admin-secret", "service-secret", "redis-secret")
                .contains("redis://***@127.0.0.1:6379");
    }

    @Test
    void mapsSettingsToMicronautProperties() {
        assertThat(BridgeConfigFactory.propertyOf("HUB_REDIS_URL")).isEqualTo("hub.redis-url");
        assertThat(BridgeConfigFactory.propertyOf("HUB_BRIDGE_CLAIM_IDLE")).isEqualTo("hub.bridge-claim-idle");
    }
}
