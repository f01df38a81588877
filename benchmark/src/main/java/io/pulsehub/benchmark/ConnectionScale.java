package io.pulsehub.benchmark;

import java.util.Map;

/**
 * Many authenticated devices held connected to the full hub with keep-alive.
 *
 * @param heapPerConnectionKb live heap after a full GC, connected minus before, per connection
 * @param rssPerConnectionKb  resident set while held minus before, per connection (heap pages already touched by
 *                            the throughput phases do not show up here, native buffers and threads do)
 * @param cpuPercentWhileConnecting from the start of the load generators until every device was connected, % of
 *                                  one core, by process (the hub's, the generators'; see {@link CpuShares})
 * @param error               why the run did not complete, {@code null} when it did
 */
record ConnectionScale(int requested, int connected, long failed, int loadProcesses, double connectSeconds,
                       double connectsPerSecond, double holdSeconds, double brokerHeapBeforeMb,
                       double brokerHeapHeldMb, double heapPerConnectionKb, double brokerRssBeforeMb,
                       double brokerRssHeldMb, double rssPerConnectionKb, Map<String, Double> cpuPercentWhileConnecting,
                       String brokerHeap, String error) {
}
