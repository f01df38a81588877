package io.pulsehub.benchmark;

import java.util.Arrays;
import java.util.List;

/**
 * Latency percentiles of a sample, nearest rank, in milliseconds.
 *
 * @param count how many samples; the percentiles are {@code null} when there are none
 */
record Percentiles(int count, Double p50, Double p99, Double p999, Double max) {

    static Percentiles ofMillis(final List<Double> samples) {
        if (samples.isEmpty()) {
            return new Percentiles(0, null, null, null, null);
        }
        final double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 99), rank(sorted, 99.9),
                round(sorted[sorted.length - 1]));
    }

    /** The smallest sample that at least {@code percent} % of the samples do not exceed. */
    static double rank(final double[] sorted, final double percent) {
        // The epsilon keeps 99.9 % of 1000 at rank 999: in binary floating point it is a hair above.
        final int rank = (int) Math.ceil(percent / 100.0 * sorted.length - 1e-9);
        return round(sorted[Math.max(0, Math.min(sorted.length, rank) - 1)]);
    }

    private static double round(final double millis) {
        return Math.round(millis * 100.0) / 100.0;
    }
}
