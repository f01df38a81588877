package io.pulsehub.benchmark;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Who used the cores during a phase (a target's saturation, the connection scale's connecting), and what that says
 * about what limited its figure: the issue asks which process saturates, and whether the load generator, rather than
 * the target, is the limit.
 */
final class CpuShares {

    static final String SELF = "bench (subscriber, probe)";
    static final String MACHINE = "machine total";
    static final String OTHERS = "other processes";
    static final String GENERATOR_PREFIX = "loadgen-";
    /** A machine at least this busy has no core to spare. */
    private static final double SATURATED_SHARE = 0.9;
    /** A process this close to one core's worth may be held by one thread. */
    private static final double ONE_CORE_PERCENT = 95;

    private CpuShares() {
    }

    /**
     * CPU between two snapshots, % of one core, of each named process in the second (one missing from the first
     * started in between and counts from nothing), then {@link #MACHINE} and {@link #OTHERS}: this machine may be
     * shared, and whatever else ran during the phase is stated, not hidden.
     */
    static Map<String, Double> between(final Map<String, ProcStat> before, final Map<String, ProcStat> after,
                                       final Collection<String> names, final double wallSeconds,
                                       final double machineBusySeconds) {
        final Map<String, Double> percent = new LinkedHashMap<>();
        double ours = 0;
        for (final String name : names) {
            final ProcStat end = after.get(name);
            if (end != null) {
                final ProcStat start = before.get(name);
                final double share = percentOf(end.cpuSeconds() - (start == null ? 0 : start.cpuSeconds()),
                        wallSeconds);
                percent.put(name, share);
                ours += share;
            }
        }
        final double machine = percentOf(machineBusySeconds, wallSeconds);
        percent.put(MACHINE, machine);
        percent.put(OTHERS, Math.max(0, Math.round((machine - ours) * 10) / 10.0));
        return percent;
    }

    private static double percentOf(final double cpuSeconds, final double wallSeconds) {
        return Math.round(cpuSeconds / wallSeconds * 1000) / 10.0;
    }

    /**
     * @param cpuPercent CPU during a phase, % of one core, by process, as {@link #between} gives it: the target's
     *                   processes (every one that is neither a load generator, {@link #SELF}, {@link #MACHINE} nor
     *                   {@link #OTHERS}), the load generators, and the rest of the machine
     * @return one sentence for the report
     */
    static String limit(final Map<String, Double> cpuPercent, final int cpus) {
        double target = 0;
        double generators = 0;
        String busiest = null;
        double busiestPercent = -1;
        for (final Map.Entry<String, Double> process : cpuPercent.entrySet()) {
            final String name = process.getKey();
            final double percent = process.getValue();
            if (name.startsWith(GENERATOR_PREFIX)) {
                generators += percent;
            } else if (!name.equals(SELF) && !name.equals(MACHINE) && !name.equals(OTHERS)) {
                target += percent;
                if (percent > busiestPercent) {
                    busiest = name;
                    busiestPercent = percent;
                }
            }
        }
        final double machine = cpuPercent.getOrDefault(MACHINE, 0.0);
        final double capacity = cpus * 100.0;
        final StringBuilder sentence = new StringBuilder();
        sentence.append(machine >= SATURATED_SHARE * capacity
                ? String.format(Locale.ROOT, "the cores (%.0f of %.0f %% busy)", machine, capacity)
                : String.format(Locale.ROOT, "not the cores (%.0f of %.0f %% busy): the in-flight window or a "
                        + "wait", machine, capacity));
        sentence.append(String.format(Locale.ROOT, "; the target %.0f %%, busiest %s %.0f %%; the load generators "
                + "%.0f %%, %s", target, busiest, busiestPercent, generators,
                generators > target ? "more than the target, so a lighter generator would raise this figure"
                        : "less than the target"));
        if (busiestPercent >= ONE_CORE_PERCENT) {
            sentence.append(String.format(Locale.ROOT, "; %s is at one core's worth, which holds it if a single "
                    + "thread does the work", busiest));
        }
        return sentence.append('.').toString();
    }
}
