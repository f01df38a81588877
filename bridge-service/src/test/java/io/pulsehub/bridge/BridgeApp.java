package io.pulsehub.bridge;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.testsupport.FreePorts;
import io.pulsehub.testsupport.InfluxServer;
import io.pulsehub.testsupport.RedisServer;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The bridge application started in this JVM, on a random port, against real Redis and InfluxDB servers. */
public final class BridgeApp implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String DB = "pulsehub_it";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedServer server;

    private BridgeApp(final EmbeddedServer server) {
        this.server = server;
    }

    /** Settings every test needs; MQTT points at a port nothing listens on unless a test replaces the publisher. */
    public static Map<String, Object> settings(final RedisServer redis, final InfluxServer influx) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.host", "127.0.0.1");
        settings.put("micronaut.server.port", -1);
        settings.put("hub.redis-url", redis.url());
        settings.put("hub.influx-url", influx.url());
        settings.put("hub.influx-db", DB);
        settings.put("hub.mqtt-url", "tcp://127.0.0.1:" + FreePorts.find());
        settings.put("hub.admin-token", ADMIN_TOKEN);
        settings.put("hub.service-token", "test-service-token");
        settings.put("hub.stream-partitions", "4");
        settings.put("hub.aggregate-windows", "1m");
        settings.put("hub.aggregate-lateness", "2s");
        settings.put("hub.bridge-consumer", "bridge-it");
        settings.put("hub.bridge-claim-idle", "30s");
        settings.put("hub.bridge-batch-size", "100");
        return settings;
    }

    /** Publishes aggregates to {@code aggregate.RecordingPublisher} instead of an MQTT broker. */
    public static Map<String, Object> recordingAggregates(final Map<String, Object> settings) {
        settings.put("test.publisher", "recording");
        return settings;
    }

    public static BridgeApp start(final Map<String, Object> settings) {
        return new BridgeApp(ApplicationContext.run(EmbeddedServer.class, settings));
    }

    public <T> T bean(final Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    public ApplicationContext applicationContext() {
        return server.getApplicationContext();
    }

    public URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    public HttpResponse<String> send(final HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(final String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }

    /** Closes the app (if it started), then the servers (if they started): an {@code @AfterAll} for any test. */
    public static void close(final BridgeApp app, final Servers servers) {
        if (app != null) {
            app.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    /** Real Redis and InfluxDB servers and a client of that Redis, shared by the bridge apps of one test class. */
    public static final class Servers implements AutoCloseable {

        private final RedisServer redis;
        private final InfluxServer influx;
        private final RedisClient jedis;

        private Servers(final RedisServer redis, final InfluxServer influx) {
            this.redis = redis;
            this.influx = influx;
            this.jedis = RedisClient.create(redis.url());
        }

        public static Servers start() {
            final RedisServer redis = RedisServer.start();
            try {
                return new Servers(redis, InfluxServer.start());
            } catch (final RuntimeException e) {
                redis.close();
                throw e;
            }
        }

        public RedisServer redis() {
            return redis;
        }

        public InfluxServer influx() {
            return influx;
        }

        public RedisClient jedis() {
            return jedis;
        }

        /** Creates the bridge's consumer group on every partition, for entries delivered before the bridge starts. */
        public void createConsumerGroups(final StreamLayout layout) {
            for (int partition = 0; partition < layout.partitions(); partition++) {
                jedis.xgroupCreate(layout.streamKey(partition), StreamLayout.CONSUMER_GROUP, new StreamEntryID(0, 0),
                        true);
            }
        }

        /** Adds an entry to its device's stream the way the extension does. */
        public void append(final StreamLayout layout, final StreamEntry entry) {
            jedis.xadd(layout.streamOf(entry.deviceId()).getBytes(StandardCharsets.UTF_8), XAddParams.xAddParams(),
                    entry.toFields());
        }

        /** {@link BridgeApp#settings} for these servers, to adjust before {@link BridgeApp#start}. */
        public Map<String, Object> settings() {
            return BridgeApp.settings(redis, influx);
        }

        @Override
        public void close() {
            jedis.close();
            influx.close();
            redis.close();
        }
    }
}
