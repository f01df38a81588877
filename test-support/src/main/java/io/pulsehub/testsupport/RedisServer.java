package io.pulsehub.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real redis-server on a free loopback port in its own temporary directory, with an append-only file so that
 * {@link #restart()} after {@link #stop()} or {@link #kill()} finds the data again, as a production restart would.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
    private static final String INSTALL_HINT = "apt-get install -y redis-server (Debian/Ubuntu)";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path executable;
    private final Path directory;
    private final int port;
    private volatile ChildProcess process;

    private RedisServer(final Path executable, final Path directory, final int port) {
        this.executable = executable;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts a server and returns once it answers PING.
     *
     * @throws IllegalStateException when redis-server is not installed, or with its log tail when it did not start
     */
    public static RedisServer start() {
        final Path executable = Executables.locate("redis-server", INSTALL_HINT);
        return PortConflicts.retry(() -> {
            final RedisServer server =
                    new RedisServer(executable, Reaper.createTempDirectory("pulsehub-redis-"), FreePorts.find());
            try {
                server.launch();
                return server;
            } catch (final RuntimeException e) {
                server.close();
                throw e;
            }
        });
    }

    private void launch() {
        final List<String> command = List.of(executable.toString(),
                "--bind", "127.0.0.1",
                "--port", Integer.toString(port),
                "--dir", directory.toString(),
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--hz", "50", // as ./hub runs it: blocking reads end on this timer
                "--save", "",
                "--daemonize", "no");
        final ChildProcess started =
                ChildProcess.start("redis-server", command, directory, Map.of(), directory.resolve("redis.log"));
        process = started;
        try {
            started.awaitReady("PONG on port " + port, READY_TIMEOUT, () -> Resp.ping(port));
        } catch (final RuntimeException e) {
            started.kill();
            throw e;
        }
        log.info("redis-server (pid {}) ready on {} in {}", started.pid(), url(), directory);
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The pid of the current run; it changes with {@link #restart()}. */
    public long pid() {
        return process.pid();
    }

    /** Working directory holding the append-only file and {@code redis.log}. */
    public Path directory() {
        return directory;
    }

    /** SIGTERM and wait for the exit; Redis flushes the append-only file first. */
    public void stop() {
        final ChildProcess current = process;
        if (current != null) {
            current.stop(STOP_GRACE);
        }
    }

    /**
     * SIGKILL, as in a crash. Acknowledged writes normally survive it: Redis writes the append-only file before it
     * replies and only defers the fsync, which matters for a machine crash, not a process crash.
     */
    public void kill() {
        final ChildProcess current = process;
        if (current != null) {
            current.kill();
        }
    }

    /** Stops the server if it is running and starts it again on the same port and directory. */
    public void restart() {
        stop();
        launch();
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            Reaper.deleteDirectory(directory);
        }
    }
}
