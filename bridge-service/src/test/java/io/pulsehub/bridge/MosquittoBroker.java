package io.pulsehub.bridge;

import io.pulsehub.testsupport.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real MQTT 5 broker (Eclipse Mosquitto, from the Debian package) on a free loopback port, for the bridge's own
 * MQTT publishing. It lets anyone in: the broker's authorization is the HiveMQ extension's, tested in its module and
 * in e2e-tests; here only what the bridge sends matters.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final String INSTALL_HINT = "apt-get install -y mosquitto (Debian/Ubuntu)";
    private static final List<String> WELL_KNOWN_DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin",
            "/usr/local/bin");
    private static final int ATTEMPTS = 3;

    private final Path directory;
    private final int port;
    private final Process process;
    private final Thread reaper;

    private MosquittoBroker(final Path directory, final int port, final Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
        this.reaper = new Thread(process::destroyForcibly, "mosquitto-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * @throws IllegalStateException when mosquitto is not installed (with the install command), or did not start
     */
    public static MosquittoBroker start() {
        return start(10);
    }

    /**
     * @param receiveMaximum QoS 1 and 2 publishes the broker takes unacknowledged from one MQTT 5 client (its
     *                       {@code max_inflight_messages}); 10 is what HiveMQ grants
     */
    public static MosquittoBroker start(final int receiveMaximum) {
        final Path executable = locate();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return launch(executable, receiveMaximum);
            } catch (final IllegalStateException e) {
                last = e; // most likely another process took the free port first
            }
        }
        throw last;
    }

    private static MosquittoBroker launch(final Path executable, final int receiveMaximum) {
        final int port = FreePorts.find();
        final Path directory;
        try {
            directory = Files.createTempDirectory("pulsehub-mosquitto-");
            Files.writeString(directory.resolve("mosquitto.conf"), String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "persistence false",
                    "max_inflight_messages " + receiveMaximum,
                    "log_dest stdout",
                    ""), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final Path log = directory.resolve("mosquitto.log");
        final Process process;
        try {
            process = new ProcessBuilder(executable.toString(), "-c", directory.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot run " + executable, e);
        }
        final MosquittoBroker broker = new MosquittoBroker(directory, port, process);
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mosquitto exited: " + Files.readString(log));
                }
                return broker.accepts();
            });
            return broker;
        } catch (final RuntimeException e) {
            broker.close();
            throw e instanceof IllegalStateException state ? state : new IllegalStateException(e);
        }
    }

    private static Path locate() {
        final List<String> dirs = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        dirs.addAll(WELL_KNOWN_DIRS);
        for (final String dir : dirs) {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, "mosquitto");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("mosquitto not found; install it: " + INSTALL_HINT);
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops the broker; connected clients see their connection drop. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (final IllegalStateException e) {
            // the JVM is shutting down already; the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (final IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
