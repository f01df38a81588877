package io.pulsehub.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The extensions HiveMQ loads: a fresh copy of {@code HUB_EXTENSIONS_DIR} in the broker's data folder.
 * <p>
 * HiveMQ writes a {@code DISABLED} file into an extension's folder when the extension fails to load or start, and
 * skips such a folder on every later start. Loading a copy keeps that marker out of the build output (where it would
 * silently disable the extension for the next run and for every test), keeps a rebuild from swapping the jar under
 * a running broker, and lets the broker see afterwards which extension HiveMQ gave up on.
 */
final class ExtensionsFolder {

    static final String DESCRIPTOR = "hivemq-extension.xml";
    static final String DISABLED_MARKER = "DISABLED";

    private final Path source;
    private final Path loaded;

    private ExtensionsFolder(final Path source, final Path loaded) {
        this.source = source;
        this.loaded = loaded;
    }

    /**
     * @throws BrokerStartupException when the source holds no extension to load
     */
    static ExtensionsFolder copy(final Path source, final Path loaded) {
        if (!Files.isDirectory(source)) {
            throw new BrokerStartupException("extensions folder " + source + " does not exist ("
                    + BrokerSettings.EXTENSIONS_DIR_ENV + "); build it with ./mvnw -DskipTests package");
        }
        final ExtensionsFolder folder = new ExtensionsFolder(source, loaded);
        try {
            deleteRecursively(loaded);
            copyRecursively(source, loaded);
        } catch (final IOException | UncheckedIOException e) {
            throw new BrokerStartupException("cannot copy the extensions from " + source + " to " + loaded + ": "
                    + e.getMessage(), e);
        }
        if (folder.enabledExtensions().isEmpty()) {
            throw new BrokerStartupException("no enabled HiveMQ extension in " + source + " ("
                    + BrokerSettings.EXTENSIONS_DIR_ENV + "); build it with ./mvnw -DskipTests package");
        }
        return folder;
    }

    Path source() {
        return source;
    }

    /** The folder handed to HiveMQ. */
    Path loaded() {
        return loaded;
    }

    /** Names of the extension folders HiveMQ will try to start. */
    List<String> enabledExtensions() {
        final List<String> names = new ArrayList<>();
        try (Stream<Path> children = Files.list(loaded)) {
            children.filter(dir -> Files.isRegularFile(dir.resolve(DESCRIPTOR)))
                    .filter(dir -> !Files.exists(dir.resolve(DISABLED_MARKER)))
                    .map(dir -> dir.getFileName().toString())
                    .sorted()
                    .forEach(names::add);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * Called once HiveMQ has started: any extension it was to start and has marked disabled since failed to load or
     * refused to start, and a broker without its extension must not pretend to serve.
     *
     * @throws BrokerStartupException naming the extensions that did not start
     */
    void requireStarted(final List<String> expected) {
        final List<String> failed = new ArrayList<>();
        for (final String name : expected) {
            if (Files.exists(loaded.resolve(name).resolve(DISABLED_MARKER))) {
                failed.add(name);
            }
        }
        if (!failed.isEmpty()) {
            throw new BrokerStartupException("HiveMQ disabled extension " + String.join(", ", failed)
                    + " because it failed to load or start; the reason is logged above");
        }
    }

    private static void copyRecursively(final Path from, final Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(path -> {
                final Path target = to.resolve(from.relativize(path).toString());
                try {
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void deleteRecursively(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
