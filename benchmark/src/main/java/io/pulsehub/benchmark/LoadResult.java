package io.pulsehub.benchmark;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the load generator processes of one phase reported together.
 *
 * @param devices        simulated devices over all processes
 * @param acked          publishes the broker acknowledged
 * @param failed         refused or failed publishes
 * @param unacknowledged publishes still without an answer when the generator gave up
 * @param ackedPerSecond sum over the processes, which ran side by side for the same duration
 * @param connectSeconds the slowest process's time to connect all its devices (they connect in parallel)
 * @param pubackP50Ms    worst process's percentile: percentiles of separate samples cannot be merged exactly, and
 *                       the worst is the honest upper bound
 */
record LoadResult(int processes, int devices, long sent, long acked, long failed, long unacknowledged,
                  double ackedPerSecond, double connectSeconds, Double pubackP50Ms, Double pubackP99Ms,
                  Double pubackP999Ms, long connectionLosses) {

    static LoadResult combine(final List<JsonNode> summaries) {
        int devices = 0;
        long sent = 0;
        long acked = 0;
        long failed = 0;
        long unacknowledged = 0;
        long losses = 0;
        double perSecond = 0;
        double connect = 0;
        Double p50 = null;
        Double p99 = null;
        Double p999 = null;
        for (final JsonNode summary : summaries) {
            devices += summary.path("devices").asInt();
            sent += summary.path("sent").asLong();
            acked += summary.path("acked").asLong();
            failed += summary.path("failed").asLong();
            unacknowledged += summary.path("unacknowledged").asLong();
            losses += summary.path("connectionLosses").asLong();
            perSecond += summary.path("ackedPerSecond").asDouble();
            connect = Math.max(connect, summary.path("connectSeconds").asDouble());
            final JsonNode latency = summary.path("latencyMs");
            p50 = worst(p50, latency.path("p50"));
            p99 = worst(p99, latency.path("p99"));
            p999 = worst(p999, latency.path("p999"));
        }
        return new LoadResult(summaries.size(), devices, sent, acked, failed, unacknowledged,
                Math.round(perSecond * 10) / 10.0, connect, p50, p99, p999, losses);
    }

    private static Double worst(final Double sofar, final JsonNode value) {
        if (!value.isNumber()) {
            return sofar;
        }
        return sofar == null ? value.asDouble() : Math.max(sofar, value.asDouble());
    }
}
