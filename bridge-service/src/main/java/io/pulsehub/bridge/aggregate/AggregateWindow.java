package io.pulsehub.bridge.aggregate;

import io.pulsehub.bridge.config.DurationSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A tumbling window aligned to the epoch, named as configured ({@code 10s}, {@code 1m}): the name appears in topics
 * ({@code aggregates/{device}/{name}}) and in the measurement {@code aggregates_{name}}.
 *
 * @param name   the configured spelling, e.g. {@code 1m}
 * @param millis the window length
 */
public record AggregateWindow(String name, long millis) {

    /** Longer windows would rarely close and are Grafana's job ({@code GROUP BY time}), not a live aggregate's. */
    static final long MAX_MILLIS = 24L * 60 * 60 * 1000;

    public AggregateWindow {
        if (millis <= 0 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException("window " + name + " must be longer than 0 and at most 24h");
        }
    }

    /**
     * @param spec comma separated windows, e.g. {@code 10s,1m}
     * @throws IllegalArgumentException naming the bad window
     */
    public static List<AggregateWindow> parseList(final String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no aggregate window given; expected e.g. 10s,1m");
        }
        final List<AggregateWindow> windows = new ArrayList<>();
        final Set<Long> lengths = new HashSet<>();
        for (final String part : spec.split(",", -1)) {
            final String name = part.trim();
            final AggregateWindow window = new AggregateWindow(name, DurationSpec.parseMillis(name, "window"));
            if (!lengths.add(window.millis())) {
                throw new IllegalArgumentException("window " + name + " is given twice");
            }
            windows.add(window);
        }
        return List.copyOf(windows);
    }

    /** Start of the window holding {@code epochMillis}. */
    public long startOf(final long epochMillis) {
        return Math.floorDiv(epochMillis, millis) * millis;
    }

    public long endOf(final long epochMillis) {
        return startOf(epochMillis) + millis;
    }

    public String measurement() {
        return "aggregates_" + name;
    }
}
