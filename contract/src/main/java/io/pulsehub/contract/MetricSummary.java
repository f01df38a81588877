package io.pulsehub.contract;

/** One metric of one device over one window; {@code last} is the value with the latest reading time. */
public record MetricSummary(long count, double sum, double min, double max, double mean, double last) {
}
