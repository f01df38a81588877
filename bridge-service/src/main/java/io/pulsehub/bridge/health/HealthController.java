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
import io.pulsehub.bridge.influx.TelemetryStore;
import io.pulsehub.bridge.stream.StreamBacklog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}, without authentication: UP (200) only when Redis, InfluxDB and the MQTT broker are all
 * reachable, otherwise 503 naming the parts that are DOWN. Also shows the stream backlog, the lag of the bridge.
 */
@Controller("/health")
@Produces(MediaType.APPLICATION_JSON)
@ExecuteOn(TaskExecutors.BLOCKING)
class HealthController {

    private static final Logger log = LoggerFactory.getLogger(HealthController.class);
    static final String UP = "UP";
    static final String DOWN = "DOWN";

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Component(String status, String error, Long pending, Long oldestPendingAgeMs) {

        static Component up() {
            return new Component(UP, null, null, null);
        }

        static Component down(final String error) {
            return new Component(DOWN, error, null, null);
        }
    }

    @Serdeable
    record Health(String status, Map<String, Component> components) {
    }

    private final UnifiedJedis redis;
    private final TelemetryStore influx;
    private final AggregatePublisher mqtt;
    private final StreamBacklog backlog;

    HealthController(final UnifiedJedis redis, final TelemetryStore influx, final AggregatePublisher mqtt,
                     final StreamBacklog backlog) {
        this.redis = redis;
        this.influx = influx;
        this.mqtt = mqtt;
        this.backlog = backlog;
    }

    @Get
    HttpResponse<Health> health() {
        final Map<String, Component> components = new LinkedHashMap<>();
        components.put("redis", redis());
        components.put("influxdb", influxdb());
        components.put("mqtt", mqtt.isConnected() ? Component.up() : Component.down("not connected to the broker"));
        final boolean up = components.values().stream().allMatch(component -> UP.equals(component.status()));
        final Health health = new Health(up ? UP : DOWN, components);
        return up ? HttpResponse.ok(health) : HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(health);
    }

    private Component redis() {
        try {
            redis.ping();
            final StreamBacklog.Lag lag = backlog.current();
            return new Component(UP, null, lag.pending(), lag.oldestPendingAgeMillis());
        } catch (final RuntimeException e) {
            log.debug("Redis health check failed", e);
            return Component.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Component influxdb() {
        try {
            influx.ping();
            return Component.up();
        } catch (final RuntimeException e) {
            log.debug("InfluxDB health check failed", e);
            return Component.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
