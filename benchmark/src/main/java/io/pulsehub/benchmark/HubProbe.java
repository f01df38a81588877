package io.pulsehub.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.MqttSockets;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what a device and an app of the hub see, while the load runs: one probe device publishes a reading with
 * a known {@code ts} every 200 ms and polls InfluxDB until exactly that reading is queryable; an app subscribed to
 * the aggregates of every device, the probe's and the load's, notes how long after its window could close (end +
 * lateness) each aggregate arrived. Every device's, not the probe's alone: a window gives one figure per device, and
 * one per window was too few for a p99 (4 to 7 in a run).
 */
final class HubProbe implements AutoCloseable {

    static final String DEVICE = "probe-1";
    static final String METRIC = "probe";
    private static final Logger LOG = LoggerFactory.getLogger(HubProbe.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Polling InfluxDB is load on the hub under test, so it is fine-grained only where the target lies: every 5 ms
     * for the first 250 ms after the publish, every 25 ms after that.
     */
    private static final long POLL_MILLIS = 5;
    private static final long SLOW_POLL_MILLIS = 25;
    private static final long FINE_POLLING_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final MqttClient device;
    private final MqttClient app;
    private final Influx influx;
    private final List<Double> queryableMs = new CopyOnWriteArrayList<>();
    private final List<Double> aggregateMs = new CopyOnWriteArrayList<>();
    private volatile long published;
    /** Epoch ms before which readings published and windows that could close are not measured. */
    private volatile long measureFromMillis = Long.MAX_VALUE;
    private volatile boolean running;
    private Thread loop;

    /** @param loadDevices the devices of the load generator, whose aggregates are measured too */
    HubProbe(final FullHubTarget hub, final List<String> loadDevices) throws Exception {
        influx = hub.influx();
        final DeviceCredential credential = hub.devices("probe", 1).get(0);
        device = new MqttClient(hub.mqttUrl(), credential.id(), new MemoryPersistence());
        final MqttConnectionOptions deviceOptions = new MqttConnectionOptions();
        deviceOptions.setUserName(credential.id());
        deviceOptions.setPassword(credential.token().getBytes(StandardCharsets.UTF_8));
        deviceOptions.setSocketFactory(MqttSockets.forServer(hub.mqttUrl()));
        device.connect(deviceOptions);

        app = new MqttClient(hub.mqttUrl(), "bench-app", new MemoryPersistence());
        final MqttConnectionOptions appOptions = new MqttConnectionOptions();
        appOptions.setUserName("bench-app");
        appOptions.setSocketFactory(MqttSockets.forServer(hub.mqttUrl()));
        appOptions.setPassword(AppTokens.mint(hub.jwtSecret(), FullHubTarget.OWNER, Duration.ofHours(1))
                .getBytes(StandardCharsets.UTF_8));
        app.setCallback(new MessageCallback((topic, payload) -> onAggregate(payload)));
        app.connect(appOptions);
        // An app may not put a wildcard in place of the device: one subscription per device, as a real app has.
        final List<MqttSubscription> subscriptions = new ArrayList<>();
        subscriptions.add(new MqttSubscription("aggregates/" + DEVICE + "/#", 1));
        loadDevices.forEach(id -> subscriptions.add(new MqttSubscription("aggregates/" + id + "/#", 1)));
        app.subscribe(subscriptions.toArray(MqttSubscription[]::new));
    }

    private void onAggregate(final byte[] payload) {
        final long now = System.currentTimeMillis();
        try {
            final JsonNode aggregate = JSON.readTree(payload);
            final long canClose = aggregate.path("end").asLong() + FullHubTarget.LATENESS.toMillis();
            // A revision corrects a window after a late reading; its delivery is the first publication's.
            if (canClose >= measureFromMillis && aggregate.path("revision").asInt() == 0) {
                aggregateMs.add((double) (now - canClose));
            }
        } catch (final Exception e) {
            LOG.warn("Unreadable aggregate: {}", e.getMessage());
        }
    }

    void start() {
        running = true;
        loop = new Thread(this::probe, "hub-probe");
        loop.setDaemon(true);
        loop.start();
    }

    private void probe() {
        long lastTs = 0;
        while (running) {
            final long tick = System.currentTimeMillis();
            final long ts = Math.max(tick, lastTs + 1);
            lastTs = ts;
            try {
                final MqttMessage message = new MqttMessage(("{\"ts\":" + ts + ",\"" + METRIC + "\":" + published
                        + "}").getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                final long start = System.nanoTime();
                device.publish("devices/" + DEVICE + "/telemetry", message);
                published++;
                final long deadline = start + TimeUnit.SECONDS.toNanos(30);
                while (!influx.hasReading(DEVICE, ts)) {
                    if (System.nanoTime() > deadline) {
                        LOG.warn("Probe reading {} not queryable within 30 s", ts);
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(System.nanoTime() - start < FINE_POLLING_NANOS
                            ? POLL_MILLIS : SLOW_POLL_MILLIS);
                }
                if (System.nanoTime() <= deadline && tick >= measureFromMillis) {
                    queryableMs.add((System.nanoTime() - start) / 1e6);
                }
                final long rest = 200 - (System.currentTimeMillis() - tick);
                if (rest > 0) {
                    TimeUnit.MILLISECONDS.sleep(rest);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (final Exception e) {
                LOG.warn("Probe failed: {}", e.toString());
                return;
            }
        }
    }

    /**
     * Measures only what happens from then on, as the load generator does with its latencies (see
     * {@link LoadGenerator#latencyAfter}); the probe keeps publishing before, so every reading is still counted.
     */
    void measureFrom(final long epochMillis) {
        measureFromMillis = epochMillis;
    }

    /** Stops publishing; aggregates keep being counted until close. */
    void stop() throws InterruptedException {
        running = false;
        if (loop != null) {
            loop.join(35_000);
        }
    }

    long published() {
        return published;
    }

    Percentiles queryable() {
        return Percentiles.ofMillis(new ArrayList<>(queryableMs));
    }

    Percentiles aggregates() {
        return Percentiles.ofMillis(new ArrayList<>(aggregateMs));
    }

    @Override
    public void close() {
        for (final MqttClient client : List.of(device, app)) {
            try {
                client.disconnect(5_000);
                client.close();
            } catch (final MqttException e) {
                // the hub goes down next anyway
            }
        }
    }
}
