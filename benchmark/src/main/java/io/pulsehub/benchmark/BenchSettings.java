package io.pulsehub.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's options, validated before anything starts. Every figure is bounded, so one run takes minutes.
 */
record BenchSettings(Path root, int devices, int loadProcesses, int maxInflight, int warmupSeconds,
                     int saturationSeconds, int halfLoadSeconds, int connections, int connectionProcesses,
                     int holdSeconds, List<String> targets, boolean profile, List<String> defaultsUsed) {

    static final Set<String> TARGETS = Set.of("mosquitto", "hivemq", "hub", "connections");

    BenchSettings {
        targets = List.copyOf(targets);
        defaultsUsed = List.copyOf(defaultsUsed);
        require(devices >= 1 && devices <= 2_000, "--devices must be 1..2000");
        require(loadProcesses >= 1 && loadProcesses <= 16, "--processes must be 1..16");
        require(loadProcesses <= devices, "--processes must not exceed --devices");
        require(maxInflight >= 1 && maxInflight <= 1_000, "--inflight must be 1..1000");
        require(warmupSeconds >= 1 && warmupSeconds <= 120, "--warmup must be 1..120 s");
        require(saturationSeconds >= 5 && saturationSeconds <= 120, "--saturation must be 5..120 s");
        require(halfLoadSeconds >= 5 && halfLoadSeconds <= 120, "--half must be 5..120 s");
        require(connections >= 1 && connections <= 20_000, "--connections must be 1..20000");
        require(connectionProcesses >= 1 && connectionProcesses <= 16, "--connection-processes must be 1..16");
        require(holdSeconds >= 5 && holdSeconds <= 120, "--hold must be 5..120 s");
        require(!targets.isEmpty() && TARGETS.containsAll(targets), "--targets is a list of " + TARGETS);
    }

    static BenchSettings parse(final String[] args) {
        final Map<String, String> given = new LinkedHashMap<>();
        for (int index = 0; index < args.length; index++) {
            final String name = args[index];
            if (!name.startsWith("--") || index + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + name + "'");
            }
            given.put(name.substring(2), args[++index]);
        }
        final List<String> defaults = new ArrayList<>();
        final BenchSettings settings = new BenchSettings(
                Path.of(text(given, "root", ".", defaults)).toAbsolutePath().normalize(),
                number(given, "devices", 100, defaults),
                number(given, "processes", 2, defaults),
                number(given, "inflight", 10, defaults),
                number(given, "warmup", 8, defaults),
                number(given, "saturation", 20, defaults),
                number(given, "half", 30, defaults),
                number(given, "connections", 10_000, defaults),
                number(given, "connection-processes", 4, defaults),
                number(given, "hold", 20, defaults),
                List.of(text(given, "targets", "mosquitto,hivemq,hub,connections", defaults).split(",")),
                Boolean.parseBoolean(text(given, "profile", "false", defaults)),
                defaults);
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + given.keySet());
        }
        return settings;
    }

    private static String text(final Map<String, String> given, final String name, final String fallback,
                               final List<String> defaults) {
        final String value = given.remove(name);
        if (value == null) {
            defaults.add("--" + name + " " + fallback);
            return fallback;
        }
        return value;
    }

    private static int number(final Map<String, String> given, final String name, final int fallback,
                              final List<String> defaults) {
        final String value = text(given, name, Integer.toString(fallback), defaults);
        try {
            return Integer.parseInt(value.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    private static void require(final boolean condition, final String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
