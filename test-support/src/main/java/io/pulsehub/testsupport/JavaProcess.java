package io.pulsehub.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runnable jar (manifest with Main-Class and Class-Path) in a separate JVM, for end-to-end tests that need the
 * real process boundary: its own main, its own shutdown hooks, and a SIGTERM or SIGKILL to end it.
 */
public final class JavaProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JavaProcess.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path jar;
    private final List<String> jvmArgs;
    private final List<String> args;
    private final Map<String, String> environment;
    private final Path workingDir;
    private final Path logFile;
    private volatile ChildProcess process;

    private JavaProcess(final Builder builder) {
        this.jar = builder.jar;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.args = List.copyOf(builder.args);
        this.environment = Map.copyOf(builder.environment);
        this.workingDir = builder.workingDir;
        this.logFile = builder.logFile != null
                ? builder.logFile
                : Reaper.createTempDirectory("pulsehub-java-").resolve(jarName() + ".log");
    }

    public static Builder builder(final Path jar) {
        return new Builder(jar);
    }

    /**
     * Launches the JVM; may be called again after the previous run ended, e.g. to restart a service in a fault test.
     * Output of every run is appended to the same log file.
     */
    public synchronized JavaProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(jarName() + " is already running as pid " + process.pid());
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build it first (mvn package)");
        }
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        process = ChildProcess.start(jarName(), command, workingDir, environment, logFile);
        log.info("Started {} (pid {}), log {}", jarName(), process.pid(), logFile);
        return this;
    }

    // The JVM running the tests, so the child runs on the same Java version without depending on PATH.
    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private String jarName() {
        return jar.getFileName().toString();
    }

    public long pid() {
        return started().pid();
    }

    public boolean isAlive() {
        final ChildProcess current = process;
        return current != null && current.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGTERM so shutdown hooks run; SIGKILL when the JVM has not exited after 15 s. */
    public void stop() {
        final ChildProcess current = process;
        if (current != null) {
            current.stop(STOP_GRACE);
        }
    }

    /** SIGKILL, as in a crash: no shutdown hooks run. */
    public void kill() {
        final ChildProcess current = process;
        if (current != null) {
            current.kill();
        }
    }

    public String logTail(final int lines) {
        return LogFile.tail(logFile, lines);
    }

    /**
     * Waits until the current run has logged a line containing {@code substring}.
     *
     * @throws IllegalStateException with the log tail on timeout or when the process exits first
     */
    public void awaitLogLine(final String substring, final Duration timeout) {
        final ChildProcess current = started();
        current.awaitReady("log line containing \"" + substring + "\"", timeout, () -> current.hasLogged(substring));
    }

    private ChildProcess started() {
        final ChildProcess current = process;
        if (current == null) {
            throw new IllegalStateException(jarName() + " has not been started");
        }
        return current;
    }

    @Override
    public void close() {
        stop();
    }

    /** What to run and how; only the jar is required. */
    public static final class Builder {

        private final Path jar;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDir = Path.of("").toAbsolutePath();
        private Path logFile;

        private Builder(final Path jar) {
            this.jar = jar.toAbsolutePath();
        }

        /** Options before {@code -jar}, e.g. {@code -Xmx256m} or {@code -Dkey=value}. */
        public Builder jvmArgs(final String... jvmArgs) {
            this.jvmArgs.addAll(List.of(jvmArgs));
            return this;
        }

        /** Arguments passed to the main method. */
        public Builder args(final String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        /** Added to the environment inherited from this JVM. */
        public Builder env(final String name, final String value) {
            environment.put(name, value);
            return this;
        }

        public Builder env(final Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** Defaults to the current directory. */
        public Builder workingDir(final Path workingDir) {
            this.workingDir = workingDir.toAbsolutePath();
            return this;
        }

        /** Defaults to a file in a temporary directory that is deleted when this JVM exits. */
        public Builder logFile(final Path logFile) {
            this.logFile = logFile.toAbsolutePath();
            return this;
        }

        public JavaProcess build() {
            return new JavaProcess(this);
        }
    }
}
