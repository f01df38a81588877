package io.pulsehub.benchmark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's options, validated before anything starts. Every figure is bounded, so one run takes minutes.
 */
record BenchSettings(Path root, int devices, int loadProcesses, int maxInflight, int warmupSeconds,
                     int saturationSeconds, int halfLoadSeconds, int connections, int connectionProcesses,
                     int holdSeconds, List<String> targets, boolean profile, String brokerPersistence,
                     List<String> defaultsUsed) {

    static final Set<String> TARGETS = Set.of("mosquitto", "hivemq", "hub", "connections");
    /** HUB_BROKER_PERSISTENCE's values, for bare HiveMQ and the hub's broker alike. */
    static final Set<String> BROKER_PERSISTENCES = Set.of("file", "in-memory");

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
        require(BROKER_PERSISTENCES.contains(brokerPersistence), "--broker-persistence must be file or in-memory");
    }

    /** The command line, for {@link Benchmark#main}: picocli parses, the record's constructor validates. */
    @Command(name = "./hub bench", sortOptions = false,
            description = "The same QoS 1 load against Mosquitto, bare HiveMQ CE and the full hub, on loopback; "
                    + "writes bench/*.json and docs/benchmarks.md. Every figure is bounded, so a run takes minutes.")
    static final class Options {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
        @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
                description = "the repository (default: ${DEFAULT-VALUE})")
        String root;
        @Option(names = "--devices", paramLabel = "N", defaultValue = "100",
                description = "devices of the load, 1-2000 (default: ${DEFAULT-VALUE})")
        int devices;
        @Option(names = "--processes", paramLabel = "N", defaultValue = "2",
                description = "load generator JVMs, 1-16 (default: ${DEFAULT-VALUE})")
        int loadProcesses;
        @Option(names = "--inflight", paramLabel = "N", defaultValue = "10",
                description = "unacknowledged publishes per device, 1-1000 (default: ${DEFAULT-VALUE})")
        int maxInflight;
        @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "8",
                description = "1-120 (default: ${DEFAULT-VALUE})")
        int warmupSeconds;
        @Option(names = "--saturation", paramLabel = "SECONDS", defaultValue = "20",
                description = "5-120 (default: ${DEFAULT-VALUE})")
        int saturationSeconds;
        @Option(names = "--half", paramLabel = "SECONDS", defaultValue = "30",
                description = "at half load, 5-120 (default: ${DEFAULT-VALUE})")
        int halfLoadSeconds;
        @Option(names = "--connections", paramLabel = "N", defaultValue = "10000",
                description = "devices of the connection-scale run, 1-20000 (default: ${DEFAULT-VALUE})")
        int connections;
        @Option(names = "--connection-processes", paramLabel = "N", defaultValue = "4",
                description = "its generator JVMs, 1-16 (default: ${DEFAULT-VALUE})")
        int connectionProcesses;
        @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "20",
                description = "how long the connections are held, 5-120 (default: ${DEFAULT-VALUE})")
        int holdSeconds;
        @Option(names = "--targets", paramLabel = "TARGET", defaultValue = "mosquitto,hivemq,hub,connections",
                split = ",", description = "any of mosquitto, hivemq, hub, connections (default: all)")
        List<String> targets;
        @Option(names = "--profile", paramLabel = "true|false", defaultValue = "false", arity = "1",
                description = "JFR recordings of the broker and the bridge (default: ${DEFAULT-VALUE})")
        boolean profile;
        @Option(names = "--broker-persistence", paramLabel = "file|in-memory", defaultValue = "file",
                description = "HiveMQ's persistence for bare HiveMQ and the hub's broker alike "
                        + "(HUB_BROKER_PERSISTENCE; default: ${DEFAULT-VALUE})")
        String brokerPersistence;
    }

    static CommandLine commandLine() {
        return new CommandLine(new Options());
    }

    /**
     * @param parsed what {@link #commandLine()} parsed
     * @throws IllegalArgumentException naming the option when a value is out of range
     */
    static BenchSettings from(final CommandLine.ParseResult parsed) {
        final Options options = parsed.commandSpec().commandLine().getCommand();
        final List<String> defaults = new ArrayList<>();
        for (final OptionSpec option : parsed.commandSpec().options()) {
            if (!option.usageHelp() && !parsed.hasMatchedOption(option)) {
                defaults.add(option.longestName() + " " + option.defaultValue());
            }
        }
        return new BenchSettings(Path.of(options.root).toAbsolutePath().normalize(), options.devices,
                options.loadProcesses, options.maxInflight, options.warmupSeconds, options.saturationSeconds,
                options.halfLoadSeconds, options.connections, options.connectionProcesses, options.holdSeconds,
                options.targets, options.profile, options.brokerPersistence, defaults);
    }

    private static void require(final boolean condition, final String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
