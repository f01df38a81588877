package io.pulsehub.simulator;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The device simulator's command line: {@code run} (the default) simulates devices, {@code app-token} mints an app
 * token, {@code watch} prints aggregates as an app receives them.
 */
@Command(name = "device-simulator",
        mixinStandardHelpOptions = true,
        versionProvider = Simulator.Version.class,
        description = "Simulated PulseHub devices (thermostats, wearables) publishing readings over MQTT, "
                + "with PUBACK latency percentiles; also mints app tokens and watches aggregates.",
        subcommands = {RunCommand.class, AppTokenCommand.class, WatchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 every reading sent was acknowledged; 1 something was not acknowledged or a "
                + "subscription was refused; 2 bad options or the hub could not be reached."})
public final class Simulator implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_NOT_ACKNOWLEDGED = 1;
    public static final int EXIT_CANNOT_START = 2;

    private static final Set<String> VERBOSE = Set.of("-v", "--verbose");
    /** What may follow the top-level options without meaning "run". */
    private static final Set<String> NOT_RUN = Set.of("-h", "--help", "-V", "--version", "run", "app-token", "watch",
            "help");

    private final Map<String, String> environment;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Log the simulator's diagnostics to stderr (quiet by default).")
    void verbose(final boolean verbose) {
        if (verbose) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.DEBUG);
        }
    }

    public Simulator() {
        this(System.getenv());
    }

    public Simulator(final Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(final String[] args) {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, System.getenv(), out, err));
    }

    /** Runs one command line to completion; what {@link #main} does, minus the exit, for tests. */
    public static int execute(final String[] args, final Map<String, String> environment, final PrintWriter out,
                              final PrintWriter err) {
        final CommandLine commandLine = new CommandLine(new Simulator(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(Simulator::reportFailure);
        try {
            return commandLine.execute(withDefaultSubcommand(args));
        } finally {
            out.flush();
            err.flush();
        }
    }

    // "run" is what people mean when they give only options, e.g. `device-simulator --devices 3`.
    static String[] withDefaultSubcommand(final String[] args) {
        int first = 0;
        while (first < args.length && VERBOSE.contains(args[first])) {
            first++;
        }
        if (first < args.length && NOT_RUN.contains(args[first])) {
            return Arrays.copyOf(args, args.length);
        }
        // -v is inherited by run, so it may stay in front of the options
        final String[] withRun = new String[args.length + 1];
        withRun[0] = "run";
        System.arraycopy(args, 0, withRun, 1, args.length);
        return withRun;
    }

    private static int reportFailure(final Exception failure, final CommandLine commandLine,
                                     final CommandLine.ParseResult parseResult) {
        final PrintWriter err = commandLine.getErr();
        if (failure instanceof CannotStartException) {
            err.println("error: " + failure.getMessage());
            LoggerFactory.getLogger(Simulator.class).debug("Cannot start", failure);
            return EXIT_CANNOT_START;
        }
        err.println("error: " + failure);
        failure.printStackTrace(err);
        return EXIT_CANNOT_START;
    }

    /** The environment this command line runs in: settings such as HUB_MQTT_URL come from here. */
    String env(final String name) {
        return environment.get(name);
    }

    String env(final String name, final String fallback) {
        final String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void run() {
        // Not reached from the command line: withDefaultSubcommand sends every option-only line to run.
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: run, app-token or watch");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = Simulator.class.getPackage().getImplementationVersion();
            return new String[]{"PulseHub device simulator " + (version == null ? "(development build)" : version)};
        }
    }
}
