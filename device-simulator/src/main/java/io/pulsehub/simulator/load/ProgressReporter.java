package io.pulsehub.simulator.load;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The live progress line on stderr. On a terminal it rewrites one line in place; otherwise (logs, CI, tests) it
 * prints one line per second.
 */
final class ProgressReporter {

    private final PrintWriter err;
    private final boolean enabled;
    private final boolean terminal;
    // guarded by this
    private long lastAcked;
    private long lastNanos;
    private boolean lineOpen;

    ProgressReporter(final PrintWriter err, final boolean enabled, final boolean terminal) {
        this.err = err;
        this.enabled = enabled;
        this.terminal = terminal;
    }

    synchronized void report(final long startNanos, final PublishStats stats, final int inFlight, final int connected,
                             final int devices) {
        if (enabled) {
            print(line(startNanos, System.nanoTime(), stats, inFlight, connected, devices));
        }
    }

    private void print(final String line) {
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            lineOpen = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** The last progress line, with the average rate of the whole run; ends the line in place on a terminal. */
    synchronized void finish(final long startNanos, final PublishStats stats, final int inFlight, final int connected,
                             final int devices) {
        if (enabled) {
            final double seconds = (System.nanoTime() - startNanos) / 1e9;
            final long acked = stats.ackedCount();
            print(format(seconds, stats.sentCount(), acked, stats.failedCount(), inFlight,
                    seconds > 0 ? acked / seconds : 0, connected, devices));
        }
        if (lineOpen) {
            err.println();
            err.flush();
            lineOpen = false;
        }
    }

    /** Progress worth its own line, such as the time connecting took; not shown when progress is off. */
    synchronized void note(final String message) {
        if (enabled) {
            event(message);
        }
    }

    /** Something worth its own line, such as a lost connection; shown even when the progress line is not. */
    synchronized void event(final String message) {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
        err.println(message);
        err.flush();
    }

    private String line(final long startNanos, final long nowNanos, final PublishStats stats, final int inFlight,
                        final int connected, final int devices) {
        final long acked = stats.ackedCount();
        final long since = lastNanos == 0 ? startNanos : lastNanos;
        final double seconds = (nowNanos - since) / 1e9;
        final double rate = seconds > 0 ? (acked - lastAcked) / seconds : 0;
        lastAcked = acked;
        lastNanos = nowNanos;
        return format((nowNanos - startNanos) / 1e9, stats.sentCount(), acked, stats.failedCount(), inFlight, rate,
                connected, devices);
    }

    static String format(final double elapsedSeconds, final long sent, final long acked, final long failed,
                         final int inFlight, final double rate, final int connected, final int devices) {
        return String.format(Locale.ROOT, "%5.0fs  sent %d  acked %d  failed %d  in flight %d  %.1f msg/s%s",
                elapsedSeconds, sent, acked, failed, inFlight, rate,
                connected < devices ? "  connected " + connected + "/" + devices : "");
    }
}
