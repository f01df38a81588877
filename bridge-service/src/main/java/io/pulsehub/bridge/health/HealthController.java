package io.pulsehub.bridge.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.pulsehub.bridge.aggregate.AggregatePublisher;
import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.bridge.stream.DeadLetterQueue;
import io.pulsehub.bridge.stream.StreamBacklog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}, without authentication. DOWN (503) when Redis, InfluxDB or the MQTT broker is unreachable, or
 * when the oldest entry not yet written is older than {@code HUB_HEALTH_LAG_DOWN} (if set); DEGRADED (200) when it is
 * older than {@code HUB_HEALTH_LAG_DEGRADED}; otherwise UP (200). The {@code stream} component shows the lag and the
 * dead letters.
 */
@Controller("/health")
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
class HealthController {

    private static final Logger log = LoggerFactory.getLogger(HealthController.class);

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Component(String status, String error, Long pending, Long undelivered, Long backlog,
                     Long oldestPendingAgeMs, Long deadLetters, Long degradedAfterMs, Long downAfterMs) {

        static Component up() {
            return new Component(HealthStatus.UP.name(), null, null, null, null, null, null, null, null);
        }

        static Component down(final String error) {
            return new Component(HealthStatus.DOWN.name(), error, null, null, null, null, null, null, null);
        }
    }

    @Serdeable
    record Health(String status, Map<String, Component> components) {
    }

    private final UnifiedJedis redis;
    private final TelemetryStore influx;
    private final AggregatePublisher mqtt;
    private final StreamBacklog backlog;
    private final DeadLetterQueue deadLetters;
    private final BridgeConfig.LagThresholds thresholds;

    HealthController(final UnifiedJedis redis, final TelemetryStore influx, final AggregatePublisher mqtt,
                     final StreamBacklog backlog, final DeadLetterQueue deadLetters, final BridgeConfig config) {
        this.redis = redis;
        this.influx = influx;
        this.mqtt = mqtt;
        this.backlog = backlog;
        this.deadLetters = deadLetters;
        this.thresholds = config.lag();
    }

    @Get
    HttpResponse<Health> health() {
        final Map<String, Component> components = new LinkedHashMap<>();
        components.put("redis", check(redis::ping, "Redis"));
        components.put("influxdb", check(influx::ping, "InfluxDB"));
        components.put("mqtt", mqtt.isConnected() ? Component.up() : Component.down("not connected to the broker"));
        components.put("stream", stream());
        final HealthStatus overall = HealthStatus.worst(components.values().stream()
                .map(component -> HealthStatus.valueOf(component.status())).toList());
        final Health health = new Health(overall.name(), components);
        return overall == HealthStatus.DOWN ? HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(health)
                : HttpResponse.ok(health);
    }

    private Component stream() {
        try {
            final StreamBacklog.Lag lag = backlog.current();
            final long dead = deadLetters.size();
            final HealthStatus status = HealthStatus.ofLag(lag.oldestPendingAgeMillis(), thresholds);
            return new Component(status.name(), null, lag.pending(), lag.undelivered(), lag.backlog(),
                    lag.oldestPendingAgeMillis(), dead, thresholds.degradedMillis(),
                    thresholds.downEnabled() ? thresholds.downMillis() : null);
        } catch (final RuntimeException e) {
            log.debug("Stream lag check failed", e);
            return Component.down("lag unknown: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Component check(final Runnable ping, final String what) {
        try {
            ping.run();
            return Component.up();
        } catch (final RuntimeException e) {
            log.debug("{} health check failed", what, e);
            return Component.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
