package io.pulsehub.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One process the benchmark started, with its output in a log file; stopped with SIGTERM, then SIGKILL. */
final class Launched implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Launched.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;

    private Launched(final String name, final Process process, final Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Launched start(final String name, final List<String> command, final Map<String, String> env,
                          final Path log) {
        try {
            Files.createDirectories(log.getParent());
            final ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // Only what the benchmark sets: HUB_* of the calling shell must not change a target's settings.
            builder.environment().keySet().removeIf(variable -> variable.startsWith("HUB_"));
            builder.environment().putAll(env);
            final Process process = builder.start();
            LOG.info("Started {} (pid {}), log {}", name, process.pid(), log);
            return new Launched(name, process, log);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    int awaitExit(final Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s; see " + log);
        }
        return process.exitValue();
    }

    /** Waits until {@code ready} holds, failing early with the log's tail when the process died first. */
    void awaitReady(final String what, final BooleanSupplier ready, final Duration timeout)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited before " + what + ":\n" + tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready (" + what + ") within " + timeout.toSeconds()
                        + " s:\n" + tail(30));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    boolean logContains(final String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (final IOException e) {
            return false;
        }
    }

    String tail(final int lines) {
        try {
            final List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (final IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) did not stop within {} s; killing it", name, pid(), STOP_TIMEOUT.toSeconds());
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
