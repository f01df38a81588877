package io.pulsehub.extension;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.testsupport.FreePorts;
import io.pulsehub.testsupport.RedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A real redis-server and HiveMQ CE embedded on free loopback ports, running the extension either in-process
 * ({@link #withEmbeddedExtension}) or from an extension folder exactly as HiveMQ loads it
 * ({@link #withExtensionFolder}).
 */
final class EmbeddedHub implements AutoCloseable {

    static final String JWT_SECRET = "embedded-hub-test-secret-0123456789abcdef";
    static final String SERVICE_TOKEN = "embedded-hub-test-service-token";
    static final int PARTITIONS = 4;
    private static final int START_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(EmbeddedHub.class);
    private static final AtomicInteger DEVICE_COUNTER = new AtomicInteger();

    private final RedisServer redis;
    private final Path directory;
    private final EmbeddedHiveMQ hivemq;
    private final int mqttPort;

    private EmbeddedHub(final RedisServer redis, final Path directory, final EmbeddedHiveMQ hivemq,
                        final int mqttPort) {
        this.redis = redis;
        this.directory = directory;
        this.hivemq = hivemq;
        this.mqttPort = mqttPort;
    }

    /** The extension runs in-process with these settings (config.xml body) and the test's secrets. */
    static EmbeddedHub withEmbeddedExtension(final String extensionSettings) {
        final RedisServer redis = RedisServer.start();
        final Map<String, String> environment = Map.of(
                "HUB_JWT_SECRET", JWT_SECRET,
                "HUB_SERVICE_TOKEN", SERVICE_TOKEN,
                "HUB_REDIS_URL", redis.url(),
                "HUB_STREAM_PARTITIONS", Integer.toString(PARTITIONS));
        return start(redis, true, directory -> {
            final Path config = write(directory.resolve("extension-config.xml"),
                    "<pulsehub-extension>" + extensionSettings + "</pulsehub-extension>");
            // An empty folder of file extensions, so HiveMQ does not look for one next to its jar.
            final Path noFileExtensions = write(directory.resolve("extensions/.keep"), "").getParent();
            return builder -> builder.withExtensionsFolder(noFileExtensions)
                    .withEmbeddedExtension(EmbeddedExtension.builder()
                            .withId("pulsehub-extension")
                            .withName("PulseHub extension (embedded for tests)")
                            .withVersion("test")
                            .withPriority(1000)
                            .withStartPriority(1000)
                            .withExtensionMain(new PulseHubExtensionMain(environment::get, config))
                            .build());
        });
    }

    /**
     * HiveMQ loads the extension from a copy of {@code extensionFolder} with its own class loader, reading secrets
     * from this JVM's environment (set by the build). {@code configXml} replaces conf/config.xml; {@code %REDIS%}
     * in it becomes the test Redis URL.
     */
    static EmbeddedHub withExtensionFolder(final Path extensionFolder, final String configXml,
                                           final boolean extensionMustStart) {
        final RedisServer redis = RedisServer.start();
        return start(redis, extensionMustStart, directory -> {
            final Path extensions = directory.resolve("extensions");
            final Path copy = extensions.resolve(extensionFolder.getFileName());
            copyTree(extensionFolder, copy);
            write(copy.resolve("conf/config.xml"), configXml.replace("%REDIS%", redis.url()));
            return builder -> builder.withExtensionsFolder(extensions);
        });
    }

    private static EmbeddedHub start(final RedisServer redis, final boolean extensionMustStart,
                                     final Function<Path, Function<EmbeddedHiveMQBuilder, EmbeddedHiveMQBuilder>>
                                             extension) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            final Path directory = tempDirectory();
            final int port = FreePorts.find();
            final EmbeddedHiveMQ hivemq = extension.apply(directory).apply(EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(write(directory.resolve("conf/config.xml"), brokerConfig(port))
                            .getParent())
                    .withDataFolder(directory.resolve("data"))
                    .withoutLoggingBootstrap()).build();
            // Building an EmbeddedHiveMQ switches HiveMQ to "allow all" while no security extension runs; a hub
            // whose extension failed to start must let nobody in instead.
            InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(true);
            try {
                hivemq.start().join();
                final EmbeddedHub hub = new EmbeddedHub(redis, directory, hivemq, port);
                // start() succeeds even if the listener could not bind; only a login through our extension on
                // this port proves that the broker answering is ours.
                if (extensionMustStart) {
                    Mqtt.requireServiceLogin(hub.mqttUrl());
                } else {
                    Mqtt.requireConnack(hub.mqttUrl());
                }
                return hub;
            } catch (final RuntimeException e) {
                last = e;
                log.warn("HiveMQ start attempt {} on port {} failed: {}", attempt, port, e.toString());
                closeQuietly(hivemq);
                deleteTree(directory);
            }
        }
        redis.close();
        throw new IllegalStateException("HiveMQ did not start after " + START_ATTEMPTS + " attempts", last);
    }

    private static String brokerConfig(final int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port);
    }

    String mqttUrl() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    RedisServer redis() {
        return redis;
    }

    /** HiveMQ's metric registry, where the extension counts what it does. */
    com.codahale.metrics.MetricRegistry metrics() {
        return hivemq.getMetricRegistry();
    }

    long counter(final String name) {
        return metrics().counter(name).getCount();
    }

    /** A new device with a unique id for the given owner. */
    ProvisionedDevice provision(final String prefix, final String owner) {
        final String id = prefix + "-" + DEVICE_COUNTER.incrementAndGet();
        try (RedisClient client = client()) {
            return new DeviceRegistry(client).provision(id, owner);
        }
    }

    /** The entries of this device in its stream partition, oldest first; a fresh connection, as Redis may restart. */
    List<StreamEntry> entriesOf(final String deviceId) {
        final String stream = new StreamLayout(PARTITIONS).streamOf(deviceId);
        try (RedisClient client = client()) {
            final List<StreamEntry> entries = new ArrayList<>();
            for (final StreamEntry entry : client.xrange(stream, "-", "+")) {
                if (deviceId.equals(entry.getFields().get("d"))) {
                    entries.add(entry);
                }
            }
            return entries;
        }
    }

    /** Total entries over all partitions. */
    long totalEntries() {
        final StreamLayout layout = new StreamLayout(PARTITIONS);
        try (RedisClient client = client()) {
            long total = 0;
            for (int partition = 0; partition < PARTITIONS; partition++) {
                total += client.exists(layout.streamKey(partition)) ? client.xlen(layout.streamKey(partition)) : 0;
            }
            return total;
        }
    }

    RedisClient client() {
        return RedisClient.create(URI.create(redis.url()));
    }

    @Override
    public void close() {
        try {
            closeQuietly(hivemq);
        } finally {
            try {
                redis.close();
            } finally {
                deleteTree(directory);
            }
        }
    }

    private static void closeQuietly(final EmbeddedHiveMQ hivemq) {
        try {
            hivemq.close();
        } catch (final Exception e) {
            log.warn("stopping HiveMQ failed: {}", e.toString());
        }
    }

    private static Path tempDirectory() {
        try {
            return Files.createTempDirectory("pulsehub-extension-it-");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(final Path file, final String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the extension folder, leaving out a {@code DISABLED} marker: HiveMQ writes one into any extension
     * folder whose extension refused to start, and another broker run against the build output may have left it.
     */
    private static void copyTree(final Path from, final Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (final Path source : paths.toList()) {
                if (source.getFileName().toString().equals("DISABLED")) {
                    continue;
                }
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(final Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (final IOException e) {
            log.warn("could not delete {}: {}", directory, e.toString());
        }
    }
}
