package io.pulsehub.bridge.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.bridge.stream.RedisClock;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.StreamLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /health is DOWN (503) while the oldest entry not written yet is older than HUB_HEALTH_LAG_DOWN, DEGRADED (still
 * 200) while it is older than HUB_HEALTH_LAG_DEGRADED, and UP once everything is written.
 */
class StreamLagHealthIT {

    private static final StreamLayout LAYOUT = new StreamLayout(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BridgeApp.Servers servers;
    private static BridgeApp app;
    private static StreamEntryID twoMinutes;
    private static StreamEntryID tenMinutes;

    @BeforeAll
    static void start() {
        servers = BridgeApp.Servers.start();
        // Delivered before the bridge starts, so that its own consumer cannot take them first.
        servers.createConsumerGroups(LAYOUT);
        twoMinutes = stuckEntry(0, 120_000);
        tenMinutes = stuckEntry(1, 600_000);
        final Map<String, Object> settings = BridgeApp.recordingAggregates(servers.settings());
        settings.put("hub.health-lag-degraded", "1m");
        settings.put("hub.health-lag-down", "5m");
        // The entries below stay with their dead consumer for the whole test.
        settings.put("hub.bridge-claim-idle", "10m");
        app = BridgeApp.start(settings);
    }

    @AfterAll
    static void stop() {
        BridgeApp.close(app, servers);
    }

    /** An entry that entered Redis {@code ageMillis} ago, delivered to a consumer that then died. */
    private static StreamEntryID stuckEntry(final int partition, final long ageMillis) {
        final String stream = LAYOUT.streamKey(partition);
        final long millis = redisMillis() - ageMillis;
        final StreamEntry entry = new StreamEntry("lagging-" + partition, millis * 1_000_000L,
                "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
        servers.jedis().xadd(stream.getBytes(StandardCharsets.UTF_8),
                XAddParams.xAddParams().id(new StreamEntryID(millis, 0)), entry.toFields());
        servers.jedis().xreadGroup(StreamLayout.CONSUMER_GROUP, "dead-bridge",
                XReadGroupParams.xReadGroupParams().count(10),
                Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        return new StreamEntryID(millis, 0);
    }

    private static long redisMillis() {
        return RedisClock.millis(servers.jedis());
    }

    private static JsonNode json(final HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static JsonNode stream(final HttpResponse<String> health) {
        return json(health).path("components").path("stream");
    }

    @Test
    void reportsDownThenDegradedAsTheOldestUnwrittenEntryIsWrittenAndUpOnceAllAre() {
        final HttpResponse<String> down = app.get("/health");
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(json(down).path("status").asText()).isEqualTo("DOWN");
        assertThat(json(down).path("components").path("redis").path("status").asText()).isEqualTo("UP");
        assertThat(json(down).path("components").path("influxdb").path("status").asText()).isEqualTo("UP");
        assertThat(json(down).path("components").path("mqtt").path("status").asText()).isEqualTo("UP");
        assertThat(stream(down).path("status").asText()).isEqualTo("DOWN");
        assertThat(stream(down).path("pending").asLong()).isEqualTo(2);
        assertThat(stream(down).path("backlog").asLong()).isEqualTo(2);
        assertThat(stream(down).path("oldestPendingAgeMs").asLong()).isBetween(600_000L, 700_000L);
        assertThat(stream(down).path("degradedAfterMs").asLong()).isEqualTo(60_000);
        assertThat(stream(down).path("downAfterMs").asLong()).isEqualTo(300_000);

        servers.jedis().xack(LAYOUT.streamKey(1), StreamLayout.CONSUMER_GROUP, tenMinutes);
        final HttpResponse<String> degraded = app.get("/health");
        assertThat(degraded.statusCode()).as(degraded.body()).isEqualTo(200);
        assertThat(json(degraded).path("status").asText()).isEqualTo("DEGRADED");
        assertThat(stream(degraded).path("status").asText()).isEqualTo("DEGRADED");
        assertThat(stream(degraded).path("pending").asLong()).isEqualTo(1);
        assertThat(stream(degraded).path("oldestPendingAgeMs").asLong()).isBetween(120_000L, 220_000L);

        servers.jedis().xack(LAYOUT.streamKey(0), StreamLayout.CONSUMER_GROUP, twoMinutes);
        final HttpResponse<String> up = app.get("/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(json(up).path("status").asText()).isEqualTo("UP");
        assertThat(stream(up).path("status").asText()).isEqualTo("UP");
        assertThat(stream(up).path("oldestPendingAgeMs").asLong()).isZero();
        assertThat(stream(up).path("backlog").asLong()).isZero();
    }
}
