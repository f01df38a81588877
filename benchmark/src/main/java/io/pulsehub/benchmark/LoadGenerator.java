package io.pulsehub.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device simulator as the load generator: one process per credentials file, all started together with the same
 * settings, each writing its JSON summary.
 */
final class LoadGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Above this many devices in one generator process, it is holding connections, not measuring latencies. */
    private static final int MANY_IDLE_CONNECTIONS = 1_000;

    private final Jars jars;
    private final UsageSampler sampler;
    private final Path dir;
    private final int maxInflight;

    /** CPU seconds each generator process used in its last run, by process name. */
    private final Map<String, Double> lastCpuSeconds = new LinkedHashMap<>();
    private final Map<String, Long> lastPeakRssKb = new LinkedHashMap<>();

    LoadGenerator(final Jars jars, final UsageSampler sampler, final Path dir, final int maxInflight) {
        this.jars = jars;
        this.sampler = sampler;
        this.dir = dir;
        this.maxInflight = maxInflight;
    }

    /**
     * @param ratePerDevice readings per second per device, 0 = as fast as the in-flight window allows
     */
    LoadResult run(final String phase, final String mqttUrl, final List<Path> credentials,
                   final double ratePerDevice, final Duration duration) throws Exception {
        return run(phase, mqttUrl, credentials, ratePerDevice, duration, Window.NONE);
    }

    /** Told when every generator process has connected all its devices and when their duration is over. */
    interface Window {
        Window NONE = new Window() {
        };

        default void publishingStarted() throws Exception {
        }

        default void publishingEnded() throws Exception {
        }
    }

    /**
     * The generator's garbage collector. Its pauses hold back every acknowledgement that arrives meanwhile, so they
     * show in the target's PUBACK latency, and they last longer the busier the target keeps the shared cores
     * (ParallelGC's young pauses in the second half of the half-load phase: 7-11 ms beside Mosquitto, 27-78 ms beside
     * the hub). ZGC does not pause for that long. A process holding thousands of idle connections (the connection
     * scale) measures no latency and needs its heap for Paho's per-client buffers, which ZGC's headroom does not
     * leave (2,500 clients ran out of a 1 GB heap): it keeps ParallelGC.
     */
    static String collector(final int devicesInProcess) {
        return devicesInProcess > MANY_IDLE_CONNECTIONS ? "-XX:+UseParallelGC" : "-XX:+UseZGC";
    }

    /**
     * Latencies are those of the second half of a phase. Every phase starts fresh generator JVMs, which spend their
     * first seconds compiling and collecting; the readings that fall due meanwhile are then sent as fast as the
     * in-flight window allows, which saturates the target for several seconds (in-flight at its maximum, p99 ~170
     * ms for every target alike). That is the generator's start, not the target's latency at the phase's rate.
     * Counts and rates include every publish.
     */
    static Duration latencyAfter(final Duration phase) {
        return phase.dividedBy(2);
    }

    /**
     * @param window measurements over exactly the publishing time, without JVM start, connects and drain
     */
    LoadResult run(final String phase, final String mqttUrl, final List<Path> credentials,
                   final double ratePerDevice, final Duration duration, final Window window) throws Exception {
        final List<Launched> processes = new ArrayList<>();
        final List<Path> summaries = new ArrayList<>();
        lastCpuSeconds.clear();
        lastPeakRssKb.clear();
        try {
            for (int index = 0; index < credentials.size(); index++) {
                final String name = CpuShares.GENERATOR_PREFIX + (index + 1);
                final Path summary = dir.resolve(phase + "-" + (index + 1) + ".json");
                Files.deleteIfExists(summary);
                summaries.add(summary);
                final List<String> jvm = new ArrayList<>(List.of("-Xss256k", "-Xmx1g",
                        "-Xlog:gc:file=" + dir.resolve(phase + "-" + (index + 1) + "-gc.log")));
                jvm.add(collector(countLines(List.of(credentials.get(index)))));
                final List<String> command = jars.java(jvm, jars.simulator());
                command.addAll(List.of("run", "--credentials", credentials.get(index).toString(),
                        "--profile", "thermostat", "--qos", "1", "--mqtt-version", "5",
                        "--rate", String.format(Locale.ROOT, "%.4f", ratePerDevice),
                        "--duration", duration.toSeconds() + "s", "--mqtt-url", mqttUrl,
                        "--max-inflight", Integer.toString(maxInflight), "--connect-timeout", "60s",
                        "--drain-timeout", "30s", "--seed", Integer.toString(index + 1),
                        "--latency-after", latencyAfter(duration).toMillis() + "ms",
                        "--json", summary.toString()));
                final Launched process = Launched.start(name, command, Map.of(),
                        dir.resolve(phase + "-" + (index + 1) + ".log"));
                processes.add(process);
                sampler.watch(name, process.pid());
            }
            // Connecting is authenticated and paced by the generator; allow about 25 connects/s at the least.
            final int devices = countLines(credentials);
            awaitConnected(processes, Duration.ofSeconds(Math.max(180, devices / 25)));
            window.publishingStarted();
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            window.publishingEnded();
            final Duration limit = Duration.ofSeconds(150);
            for (final Launched process : processes) {
                final int exit = process.awaitExit(limit);
                if (exit != 0) {
                    LOG.warn("{} of phase {} exited {}; see {}", process.name(), phase, exit, process.log());
                }
            }
            final Map<String, ProcStat> usage = sampler.snapshot();
            final List<JsonNode> reports = new ArrayList<>();
            for (int index = 0; index < processes.size(); index++) {
                final Launched process = processes.get(index);
                final ProcStat stat = usage.get(process.name());
                if (stat != null) {
                    lastCpuSeconds.put(process.name(), stat.cpuSeconds());
                    lastPeakRssKb.put(process.name(), stat.peakRssKb());
                }
                sampler.forget(process.name());
                if (!Files.exists(summaries.get(index))) {
                    throw new IllegalStateException(process.name() + " wrote no summary:\n" + process.tail(30));
                }
                reports.add(JSON.readTree(summaries.get(index).toFile()));
            }
            final LoadResult result = LoadResult.combine(reports);
            LOG.info("{}: {} devices in {} process(es): {} acked/s, {} acked, {} failed, {} unanswered, PUBACK p50 "
                            + "{} ms p99 {} ms", phase, result.devices(), result.processes(), result.ackedPerSecond(),
                    result.acked(), result.failed(), result.unacknowledged(), result.pubackP50Ms(),
                    result.pubackP99Ms());
            return result;
        } finally {
            processes.forEach(Launched::close);
        }
    }

    // The simulator notes "connected N devices to URL in S s" once its devices are up; publishing starts then.
    private static void awaitConnected(final List<Launched> processes, final Duration timeout)
            throws InterruptedException {
        for (final Launched process : processes) {
            process.awaitReady("all devices connected", () -> process.logContains("connected "), timeout);
        }
    }

    private static int countLines(final List<Path> files) throws java.io.IOException {
        int lines = 0;
        for (final Path file : files) {
            lines += Files.readAllLines(file).size();
        }
        return lines;
    }

    Map<String, Double> lastCpuSeconds() {
        return Map.copyOf(lastCpuSeconds);
    }

    Map<String, Long> lastPeakRssKb() {
        return Map.copyOf(lastPeakRssKb);
    }
}
