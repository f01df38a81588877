package io.pulsehub.simulator;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the simulator's command line in this JVM and captures what it printed. */
record Cli(int exitCode, String out, String err) {

    static Cli run(final String... args) {
        return run(Map.of(), args);
    }

    static Cli run(final Map<String, String> environment, final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = Simulator.execute(args, environment, new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Cli(exitCode, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit code " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
