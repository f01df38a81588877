package io.pulsehub.benchmark;

import java.util.Map;

/**
 * Everything measured against one target.
 *
 * @param cpuPercentAtSaturation CPU of each process (target and load generators) during the saturation phase, in %
 *                               of one core; the machine has {@code cpus} x 100 %
 * @param cpuSeconds             CPU seconds each target process used over the whole measurement
 * @param peakRssMb              peak resident set (VmHWM) of each target process
 * @param acked                  readings acknowledged over all phases
 * @param delivered              readings the subscriber received (bare) or InfluxDB holds (hub)
 * @param lost                   acked but never delivered; must be 0
 * @param hub                    the hub's own figures; {@code null} for the bare brokers
 */
record TargetResult(String key, String title, int devices, int loadProcesses, int maxInflight,
                    LoadResult saturation, LoadResult halfLoad, Map<String, Double> cpuPercentAtSaturation,
                    Map<String, Double> cpuSeconds, Map<String, Double> peakRssMb, long acked, long delivered,
                    long lost, String lossBasis, HubFigures hub) {

    /**
     * @param persistedPerSecond readings written to InfluxDB per second during the saturation phase
     * @param backlogAtEndOfLoad readings acked but not yet in InfluxDB when the saturation load stopped
     * @param drainSeconds       how long after the load stopped until InfluxDB held every acked reading
     * @param queryableMs        publish of a probe reading until InfluxDB answers a query for it (at half load)
     * @param aggregateMs        window end + lateness until the aggregate arrived at a subscribed app, one per device
     *                           and window
     */
    record HubFigures(double persistedPerSecond, long backlogAtEndOfLoad, double drainSeconds,
                      Percentiles queryableMs, Percentiles aggregateMs, long probeReadings) {
    }
}
