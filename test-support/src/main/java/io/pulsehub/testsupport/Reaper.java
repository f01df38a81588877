package io.pulsehub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Kills child processes and removes their directories when the JVM exits, so a failed or aborted test never leaves
 * a server running that would hold a port or disk space on the build machine.
 */
final class Reaper {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Reaper::reapAll, "pulsehub-test-support-reaper"));
    }

    private Reaper() {
    }

    static void watch(final Process process) {
        PROCESSES.add(process);
    }

    static void forget(final Process process) {
        PROCESSES.remove(process);
    }

    /** A new temporary directory, removed at the latest when the JVM exits. */
    static Path createTempDirectory(final String prefix) {
        try {
            final Path directory = Files.createTempDirectory(prefix);
            DIRECTORIES.add(directory);
            return directory;
        } catch (final IOException e) {
            throw new UncheckedIOException("could not create a temporary directory", e);
        }
    }

    static void deleteDirectory(final Path directory) {
        DIRECTORIES.remove(directory);
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }

    private static void reapAll() {
        for (final Process process : PROCESSES) {
            process.destroyForcibly();
        }
        for (final Process process : PROCESSES) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (final Path directory : DIRECTORIES) {
            try {
                deleteDirectory(directory);
            } catch (final UncheckedIOException ignored) {
                // Best effort while the JVM goes down; a leftover temp dir is harmless.
            }
        }
    }
}
