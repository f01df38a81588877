package io.pulsehub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of an external program whose output goes to a log file, killed at the latest when the JVM exits. */
final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final int FAILURE_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final long logStart;

    private ChildProcess(final String name, final Process process, final Path logFile, final long logStart) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.logStart = logStart;
    }

    static ChildProcess start(final String name, final List<String> command, final Path workingDir,
                              final Map<String, String> environment, final Path logFile) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            final long logStart = LogFile.size(logFile);
            final ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    // Appending keeps the output of earlier runs when a test restarts the process.
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            final Process process = builder.start();
            Reaper.watch(process);
            log.debug("Started {} (pid {}), log {}", name, process.pid(), logFile);
            return new ChildProcess(name, process, logFile, logStart);
        } catch (final IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logTail(final int lines) {
        return LogFile.tail(logFile, lines);
    }

    /** Whether this run (not an earlier one appending to the same file) has logged {@code text}. */
    boolean hasLogged(final String text) {
        return LogFile.contains(logFile, logStart, text);
    }

    /**
     * Waits until {@code ready} holds; fails early, with the log tail, when the process exits first, and with the
     * log tail when the timeout passes.
     */
    void awaitReady(final String what, final Duration timeout, final BooleanSupplier ready) {
        try {
            Awaitility.await(name + ": " + what)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL_INTERVAL)
                    .until(() -> readyWhileAlive(what, ready));
        } catch (final ConditionTimeoutException e) {
            throw new IllegalStateException(name + " (pid " + pid() + "): no " + what + " within " + timeout
                    + "; log " + logFile + " ends with:\n" + logTail(FAILURE_TAIL_LINES), e);
        }
    }

    private boolean readyWhileAlive(final String what, final BooleanSupplier ready) {
        if (ready.getAsBoolean()) {
            return true;
        }
        if (process.isAlive()) {
            return false;
        }
        // The process may have become ready just before it exited.
        if (ready.getAsBoolean()) {
            return true;
        }
        throw new IllegalStateException(name + " (pid " + pid() + ") exited with code " + process.exitValue()
                + " before " + what + "; log " + logFile + " ends with:\n" + logTail(FAILURE_TAIL_LINES));
    }

    /** SIGTERM, then SIGKILL when the process is still running after {@code grace}. */
    void stop(final Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{} (pid {}) still running {} after SIGTERM, killing it", name, pid(), grace);
                    kill();
                    return;
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                return;
            }
        }
        Reaper.forget(process);
    }

    /** SIGKILL: no chance to flush or clean up, as in a crash. Returns once the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for " + KILL_TIMEOUT);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Reaper.forget(process);
    }
}
