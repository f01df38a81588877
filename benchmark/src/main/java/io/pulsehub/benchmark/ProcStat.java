package io.pulsehub.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time and memory of one process as the kernel reports them, read from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status}.
 *
 * @param cpuSeconds user + system time so far
 * @param rssKb      resident set now (VmRSS)
 * @param peakRssKb  the highest resident set so far (VmHWM)
 */
record ProcStat(double cpuSeconds, long rssKb, long peakRssKb) {

    /** USER_HZ, 100 on every Linux this runs on; /proc reports CPU time in these ticks. */
    static final double TICKS_PER_SECOND = 100.0;

    static Optional<ProcStat> read(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            return Optional.of(new ProcStat(cpuSeconds(stat), kilobytes(status, "VmRSS:"),
                    kilobytes(status, "VmHWM:")));
        } catch (final IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** utime + stime: fields 14 and 15, counted after the command name, which may itself hold spaces. */
    static double cpuSeconds(final String stat) {
        final String afterName = stat.substring(stat.lastIndexOf(')') + 2);
        final String[] fields = afterName.trim().split("\\s+");
        // afterName starts at field 3 (state), so field n is at index n - 3.
        return (Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3])) / TICKS_PER_SECOND;
    }

    static long kilobytes(final String status, final String key) {
        for (final String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    /** CPU seconds the whole machine spent busy (not idle, not waiting for I/O) since boot, all cores together. */
    static double machineBusySeconds() {
        try {
            return busySeconds(Files.readString(Path.of("/proc/stat")));
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
    }

    static double busySeconds(final String procStat) {
        final String[] fields = procStat.substring(0, procStat.indexOf('\n')).trim().split("\\s+");
        long busy = 0;
        for (int index = 1; index < Math.min(fields.length, 9); index++) {
            if (index != 4 && index != 5) {
                busy += Long.parseLong(fields[index]);
            }
        }
        return busy / TICKS_PER_SECOND;
    }
}
