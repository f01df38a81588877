package io.pulsehub.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the runnable artifacts are and how a JVM is started for them. */
record Jars(Path root, List<String> jvmOptions) {

    private static final List<String> ARTIFACTS = List.of("hub-broker/target/hub-broker.jar",
            "hub-broker/target/lib", "bridge-service/target/bridge-service.jar", "bridge-service/target/lib",
            "device-simulator/target/device-simulator.jar", "device-simulator/target/lib",
            "hivemq-extension/target/extensions");

    /**
     * A private copy of the runnable artifacts: a build running next to the benchmark (other work on this machine)
     * rewrites the jars in target/, and a JVM whose jar changed underneath it fails with NoClassDefFoundError.
     */
    static Jars snapshot(final Path root, final Path copy, final List<String> jvmOptions) {
        for (final String artifact : ARTIFACTS) {
            final Path from = root.resolve(artifact);
            if (!Files.exists(from)) {
                throw new IllegalStateException(from + " is missing; build with ./hub build (or ./mvnw -DskipTests "
                        + "package)");
            }
            copyRecursively(from, copy.resolve(artifact));
        }
        return new Jars(copy, jvmOptions);
    }

    private static void copyRecursively(final Path from, final Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (final Path path : paths.toList()) {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    Path broker() {
        return require(root.resolve("hub-broker/target/hub-broker.jar"));
    }

    Path bridge() {
        return require(root.resolve("bridge-service/target/bridge-service.jar"));
    }

    Path simulator() {
        return require(root.resolve("device-simulator/target/device-simulator.jar"));
    }

    Path extensions() {
        return require(root.resolve("hivemq-extension/target/extensions"));
    }

    /**
     * What {@code ./hub up} runs the broker and the bridge with when {@code HUB_JAVA_OPTS} is not set: the targets
     * are measured as they are run. Both HiveMQ targets get it, so the bare baseline runs the same JVM.
     */
    static final List<String> HUB_JVM_OPTIONS = List.of("-XX:+UseZGC");

    /** The broker's heap is the one the "10,000 devices within a 1 GB heap" refers to. */
    List<String> brokerJvmOptions() {
        final List<String> options = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
        options.addAll(HUB_JVM_OPTIONS);
        options.addAll(jvmOptions);
        return options;
    }

    List<String> bridgeJvmOptions() {
        final List<String> options = new ArrayList<>(HUB_JVM_OPTIONS);
        options.addAll(jvmOptions);
        return options;
    }

    List<String> java(final List<String> options, final Path jar) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    private static Path require(final Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing; build with ./hub build (or ./mvnw -DskipTests "
                    + "package)");
        }
        return path;
    }
}
