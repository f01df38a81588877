package io.pulsehub.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples CPU time and memory of the watched processes every 200 ms and keeps the last reading of each, so the
 * figures of a process that already exited (a load generator) are still known.
 */
final class UsageSampler implements AutoCloseable {

    private final Map<String, Long> pids = new ConcurrentHashMap<>();
    private final Map<String, ProcStat> last = new ConcurrentHashMap<>();
    private final Map<String, Long> peakRssKb = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "usage-sampler");
        thread.setDaemon(true);
        return thread;
    });

    UsageSampler() {
        timer.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    }

    void watch(final String name, final long pid) {
        pids.put(name, pid);
        sampleOne(name, pid);
    }

    void forget(final String name) {
        pids.remove(name);
        last.remove(name);
        peakRssKb.remove(name);
    }

    /** The latest reading of every watched process, sampled now where the process still runs. */
    synchronized Map<String, ProcStat> snapshot() {
        pids.forEach(this::sampleOne);
        final Map<String, ProcStat> copy = new LinkedHashMap<>();
        last.forEach((name, stat) -> copy.put(name, new ProcStat(stat.cpuSeconds(), stat.rssKb(),
                Math.max(stat.peakRssKb(), peakRssKb.getOrDefault(name, 0L)))));
        return copy;
    }

    private synchronized void sample() {
        pids.forEach(this::sampleOne);
    }

    private void sampleOne(final String name, final long pid) {
        ProcStat.read(pid).ifPresent(stat -> {
            last.put(name, stat);
            peakRssKb.merge(name, Math.max(stat.rssKb(), stat.peakRssKb()), Math::max);
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
