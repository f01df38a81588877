package io.pulsehub.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** HiveMQ CE embedded, exactly the hub's broker jar and JVM, with {@code HUB_BROKER_BARE}: no extension, no auth. */
final class BareHiveMqTarget implements Target {

    private final Launched broker;
    private final int port;

    private BareHiveMqTarget(final Launched broker, final int port) {
        this.broker = broker;
        this.port = port;
    }

    /** @param persistence HUB_BROKER_PERSISTENCE, as the hub's broker gets it */
    static BareHiveMqTarget start(final Path dir, final Jars jars, final String persistence) throws Exception {
        Files.createDirectories(dir);
        final int port = Net.freePort();
        final List<String> command = jars.java(jars.brokerJvmOptions(), jars.broker());
        final Launched broker = Launched.start("hivemq-bare", command, Map.of(
                "HUB_BIND", Net.LOOPBACK,
                "HUB_MQTT_PORT", Integer.toString(port),
                "HUB_MQTT_WS_PORT", Integer.toString(Net.freePort()),
                "HUB_BROKER_METRICS_PORT", Integer.toString(Net.freePort()),
                "HUB_BROKER_DATA_DIR", dir.resolve("data").toString(),
                "HUB_BROKER_BARE", "benchmark-only-no-auth",
                // As for Mosquitto: queues large enough that the one subscriber never loses a reading to a queue
                // limit. With HiveMQ's default of 1,000 the broker discards most readings instead of delivering
                // them, and a broker that skips the delivery work is no baseline.
                "HUB_BROKER_MAX_QUEUED_MESSAGES", Integer.toString(MosquittoTarget.MAX_QUEUED_MESSAGES),
                "HUB_BROKER_PERSISTENCE", persistence),
                dir.resolve("hivemq-bare.log"));
        final BareHiveMqTarget target = new BareHiveMqTarget(broker, port);
        broker.awaitReady("PulseHub broker listening", () -> broker.logContains("PulseHub broker listening on"),
                Duration.ofSeconds(120));
        return target;
    }

    @Override
    public String key() {
        return "hivemq";
    }

    @Override
    public String title() {
        return "HiveMQ CE (bare)";
    }

    @Override
    public String mqttUrl() {
        return "tcp://" + Net.LOOPBACK + ":" + port;
    }

    @Override
    public Map<String, Launched> processes() {
        return Map.of("hivemq", broker);
    }

    @Override
    public List<DeviceCredential> devices(final String prefix, final int count) {
        return DeviceCredential.anonymous(prefix, count);
    }

    @Override
    public void close() {
        broker.close();
    }
}
