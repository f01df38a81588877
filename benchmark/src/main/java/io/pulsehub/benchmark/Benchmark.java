package io.pulsehub.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./hub bench}: the same load, from the same load generator with the same settings, against Mosquitto, bare
 * HiveMQ CE and the full hub, one after the other on loopback; then many authenticated connections held on the hub.
 * Writes bench/results-*.json, docs/benchmarks.png and the generated part of docs/benchmarks.md.
 */
public final class Benchmark {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PARTITIONS = "8";

    private final BenchSettings settings;
    private final Jars jars;
    private final Path work;
    private final UsageSampler sampler = new UsageSampler();

    private Benchmark(final BenchSettings settings, final Path work) {
        this.settings = settings;
        this.jars = Jars.snapshot(settings.root(), work.resolve("artifacts"), List.of());
        this.work = work;
    }

    public static void main(final String[] args) throws Exception {
        final CommandLine cli = BenchSettings.commandLine();
        final BenchSettings settings;
        try {
            final CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (cli.isUsageHelpRequested()) {
                cli.usage(System.out);
                return;
            }
            settings = BenchSettings.from(parsed);
        } catch (final CommandLine.ParameterException | IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
            return;
        }
        settings.defaultsUsed().forEach(setting -> LOG.info("Using default {}", setting));
        final Path work = Files.createTempDirectory("pulsehub-bench-");
        LOG.info("Working folder (logs of every process): {}", work);
        final Benchmark benchmark = new Benchmark(settings, work);
        try {
            benchmark.run();
        } finally {
            benchmark.sampler.close();
        }
    }

    private void run() throws Exception {
        final Instant started = Instant.now();
        sampler.watch(CpuShares.SELF, ProcessHandle.current().pid());
        final LoadGenerator generator = new LoadGenerator(jars, sampler, work.resolve("load"), settings.maxInflight());
        final List<TargetResult> results = new ArrayList<>();
        ConnectionScale connections = null;
        if (settings.targets().contains("mosquitto")) {
            try (MosquittoTarget mosquitto = MosquittoTarget.start(work.resolve("mosquitto"), mosquittoBinary())) {
                results.add(measureBare(mosquitto, generator));
            }
        }
        if (settings.targets().contains("hivemq")) {
            try (BareHiveMqTarget hivemq = BareHiveMqTarget.start(work.resolve("hivemq"), jars,
                    settings.brokerPersistence())) {
                results.add(measureBare(hivemq, generator));
            }
        }
        if (settings.targets().contains("hub") || settings.targets().contains("connections")) {
            try (FullHubTarget hub = FullHubTarget.start(work.resolve("hub"), jars, PARTITIONS,
                    settings.profile(), settings.brokerPersistence())) {
                if (settings.targets().contains("hub")) {
                    results.add(measureHub(hub, generator));
                }
                if (settings.targets().contains("connections")) {
                    connections = measureConnections(hub, generator);
                }
            }
        }
        final double minutes = Duration.between(started, Instant.now()).toMillis() / 60_000.0;
        final BenchRun run = new BenchRun(started.toString(), Math.round(minutes * 10) / 10.0, machine(),
                new BenchRun.Settings(settings.devices(), settings.loadProcesses(), settings.maxInflight(), 1, "5",
                        "thermostat", "100-200", settings.warmupSeconds(), settings.saturationSeconds(),
                        settings.halfLoadSeconds(), String.join(" ", jars.brokerJvmOptions()),
                        FullHubTarget.WINDOW.toSeconds() + "s", FullHubTarget.LATENESS.toSeconds() + "s",
                        settings.brokerPersistence()),
                results, Ratios.of(results), connections);
        write(run, started);
    }

    private TargetResult measureBare(final Target target, final LoadGenerator generator) throws Exception {
        LOG.info("=== {} ===", target.title());
        target.processes().forEach((name, process) -> sampler.watch(name, process.pid()));
        final List<Path> credentials = DeviceCredential.writeSplit(target.devices("bench", settings.devices()),
                settings.loadProcesses(), work.resolve("load"), target.key());
        try (TelemetrySubscriber subscriber = new TelemetrySubscriber(target.mqttUrl())) {
            final Phases phases = runPhases(target, generator, credentials, () -> { }, () -> { }, ackedSoFar -> -1,
                    LoadGenerator.Window.NONE);
            final long acked = phases.acked();
            awaitQuietly(() -> subscriber.received() >= acked, Duration.ofSeconds(30));
            final long received = subscriber.received();
            return result(target, phases, acked, received, "readings the one subscriber received", null);
        } finally {
            target.processes().keySet().forEach(sampler::forget);
        }
    }

    private TargetResult measureHub(final FullHubTarget hub, final LoadGenerator generator) throws Exception {
        LOG.info("=== {} ===", hub.title());
        hub.processes().forEach((name, process) -> sampler.watch(name, process.pid()));
        final List<DeviceCredential> devices = hub.devices("bench", settings.devices());
        final List<Path> credentials = DeviceCredential.writeSplit(devices, settings.loadProcesses(),
                work.resolve("load"), hub.key());
        final Influx influx = hub.influx();
        final AtomicLong persistedBefore = new AtomicLong();
        final AtomicLong persistedAfter = new AtomicLong();
        try (HubProbe probe = new HubProbe(hub, devices.stream().map(DeviceCredential::id).toList())) {
            // The backlog the saturation phase leaves is drained before the half-load phase, so the latencies of
            // that phase are not those of a hub still catching up. The probe measures that phase only: its polling
            // of InfluxDB would otherwise load the hub during saturation, and its latencies there would be those
            // of a saturated hub, which no target promises.
            final Phases phases = runPhases(hub, generator, credentials,
                    () -> persistedBefore.set(count(influx)), () -> persistedAfter.set(count(influx)), ackedSoFar -> {
                        final long drainStart = System.nanoTime();
                        awaitQuietly(() -> count(influx) >= ackedSoFar, Duration.ofSeconds(120));
                        final double drained = (System.nanoTime() - drainStart) / 1e9;
                        probe.start();
                        return drained;
                    }, new LoadGenerator.Window() {
                        @Override
                        public void publishingStarted() {
                            probe.measureFrom(System.currentTimeMillis() + LoadGenerator.latencyAfter(
                                    Duration.ofSeconds(settings.halfLoadSeconds())).toMillis());
                        }
                    });
            probe.stop();
            final long acked = phases.acked();
            final long ackedThroughSaturation = phases.warmup().acked() + phases.saturation().acked();
            awaitQuietly(() -> count(influx) >= acked, Duration.ofSeconds(120));
            final double drainSeconds = phases.saturationDrainSeconds();
            final long persisted = count(influx);
            final long probePersisted = influx.countTelemetry("^" + HubProbe.DEVICE + "$", HubProbe.METRIC);
            // Aggregates of the last windows arrive after their window can close.
            TimeUnit.MILLISECONDS.sleep(FullHubTarget.WINDOW.plus(FullHubTarget.LATENESS).toMillis() + 1_000);
            final long lost = Math.max(0, acked - persisted) + Math.max(0, probe.published() - probePersisted);
            final TargetResult.HubFigures figures = new TargetResult.HubFigures(
                    Math.round((persistedAfter.get() - persistedBefore.get()) / phases.saturationWallSeconds()),
                    Math.max(0, ackedThroughSaturation - persistedAfter.get()), Math.round(drainSeconds * 100) / 100.0,
                    probe.queryable(), probe.aggregates(), probe.published());
            final TargetResult result = result(hub, phases, acked + probe.published(), persisted + probePersisted,
                    "readings in InfluxDB (count of the load's devices plus the probe's)", figures);
            return new TargetResult(result.key(), result.title(), result.devices(), result.loadProcesses(),
                    result.maxInflight(), result.saturation(), result.halfLoad(), result.cpuPercentAtSaturation(),
                    result.cpuSeconds(), result.peakRssMb(), result.acked(), result.delivered(), lost,
                    result.lossBasis(), figures);
        } finally {
            hub.processes().keySet().forEach(sampler::forget);
        }
    }

    private long count(final Influx influx) {
        try {
            return influx.countTelemetry("^bench-", "temperature");
        } catch (final IOException e) {
            LOG.warn("Counting readings in InfluxDB failed: {}", e.getMessage());
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What the three load phases of one target gave. */
    private record Phases(LoadResult warmup, LoadResult saturation, LoadResult halfLoad, double saturationWallSeconds,
                          Map<String, Double> cpuPercent, double saturationDrainSeconds) {
        long acked() {
            return warmup.acked() + saturation.acked() + halfLoad.acked();
        }
    }

    /** Snapshots of CPU time at the start and the end of the publishing, load generators included. */
    private final class SaturationWindow implements LoadGenerator.Window {
        private final Runnable atStart;
        private final Runnable atEnd;
        private Map<String, ProcStat> before;
        private Map<String, ProcStat> after;
        private double machineBusy;
        private long startNanos;
        private long endNanos;

        SaturationWindow(final Runnable atStart, final Runnable atEnd) {
            this.atStart = atStart;
            this.atEnd = atEnd;
        }

        @Override
        public void publishingStarted() {
            atStart.run();
            before = sampler.snapshot();
            machineBusy = ProcStat.machineBusySeconds();
            startNanos = System.nanoTime();
        }

        @Override
        public void publishingEnded() {
            endNanos = System.nanoTime();
            machineBusy = ProcStat.machineBusySeconds() - machineBusy;
            after = sampler.snapshot();
            atEnd.run();
        }
    }

    /** Called once the saturation load stopped, with everything acked so far; answers how long persisting took. */
    private interface AfterSaturation {
        double drainSeconds(long ackedSoFar) throws InterruptedException;
    }

    private Phases runPhases(final Target target, final LoadGenerator generator, final List<Path> credentials,
                             final Runnable atStart, final Runnable atEnd, final AfterSaturation afterSaturation,
                             final LoadGenerator.Window halfLoad) throws Exception {
        final LoadResult warmup = generator.run(target.key() + "-warmup", target.mqttUrl(), credentials, 0,
                Duration.ofSeconds(settings.warmupSeconds()));
        final SaturationWindow window = new SaturationWindow(atStart, atEnd);
        final LoadResult saturation = generator.run(target.key() + "-saturation", target.mqttUrl(), credentials, 0,
                Duration.ofSeconds(settings.saturationSeconds()), window);
        final Map<String, ProcStat> before = window.before;
        final Map<String, ProcStat> after = window.after;
        final double wall = (window.endNanos - window.startNanos) / 1e9;
        final double machineBusy = window.machineBusy;
        final double drainSeconds = afterSaturation.drainSeconds(warmup.acked() + saturation.acked());
        final List<String> names = new ArrayList<>(target.processes().keySet());
        names.add(CpuShares.SELF);
        names.addAll(generators(after));
        final Map<String, Double> cpuPercent = CpuShares.between(before, after, names, wall, machineBusy);
        LOG.info("{} CPU % during saturation: {}", target.key(), cpuPercent);

        final double rate = saturation.ackedPerSecond() / 2 / settings.devices();
        final LoadResult half = generator.run(target.key() + "-half", target.mqttUrl(), credentials, rate,
                Duration.ofSeconds(settings.halfLoadSeconds()), halfLoad);
        return new Phases(warmup, saturation, half, wall, cpuPercent, drainSeconds);
    }

    private TargetResult result(final Target target, final Phases phases, final long acked, final long delivered,
                                final String lossBasis, final TargetResult.HubFigures figures) {
        final Map<String, ProcStat> usage = sampler.snapshot();
        final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
        final Map<String, Double> peakRss = new LinkedHashMap<>();
        target.processes().keySet().forEach(name -> {
            final ProcStat stat = usage.get(name);
            if (stat != null) {
                cpuSeconds.put(name, round1(stat.cpuSeconds()));
                peakRss.put(name, round1(stat.peakRssKb() / 1024.0));
            }
        });
        final long lost = Math.max(0, acked - delivered);
        LOG.info("{}: {} acked/s at saturation, {} acked in all, {} delivered, {} lost", target.key(),
                phases.saturation().ackedPerSecond(), acked, delivered, lost);
        return new TargetResult(target.key(), target.title(), settings.devices(), settings.loadProcesses(),
                settings.maxInflight(), phases.saturation(), phases.halfLoad(), phases.cpuPercent(), cpuSeconds,
                peakRss, acked, delivered, lost, lossBasis, figures);
    }

    private ConnectionScale measureConnections(final FullHubTarget hub, final LoadGenerator generator)
            throws Exception {
        LOG.info("=== connection scale: {} authenticated devices ===", settings.connections());
        final Launched broker = hub.processes().get("broker");
        hub.processes().forEach((name, process) -> sampler.watch(name, process.pid()));
        final long provisionStart = System.nanoTime();
        final List<DeviceCredential> devices = hub.devices("conn", settings.connections());
        LOG.info("Provisioned {} devices in {} s", devices.size(), round1((System.nanoTime() - provisionStart) / 1e9));
        final List<Path> credentials = DeviceCredential.writeSplit(devices, settings.connectionProcesses(),
                work.resolve("load"), "connections");
        final double heapBefore = JvmHeap.liveMb(broker.pid());
        final double rssBefore = sampler.snapshot().get("broker").rssKb() / 1024.0;
        final AtomicLong heldRssKb = new AtomicLong();
        final double[] heapHeld = {-1};
        final Map<String, ProcStat> beforeConnecting = sampler.snapshot();
        final double machineBusyBefore = ProcStat.machineBusySeconds();
        final long connectingFrom = System.nanoTime();
        final AtomicReference<Map<String, Double>> cpuWhileConnecting = new AtomicReference<>(Map.of());
        final LoadGenerator.Window window = new LoadGenerator.Window() {
            /** Every device is connected: what limited the connects/s. */
            @Override
            public void publishingStarted() {
                final double wall = (System.nanoTime() - connectingFrom) / 1e9;
                final double machineBusy = ProcStat.machineBusySeconds() - machineBusyBefore;
                final Map<String, ProcStat> connected = sampler.snapshot();
                final List<String> names = new ArrayList<>(hub.processes().keySet());
                names.addAll(generators(connected));
                cpuWhileConnecting.set(CpuShares.between(beforeConnecting, connected, names, wall, machineBusy));
                LOG.info("CPU % while connecting: {}", cpuWhileConnecting.get());
            }

            // Measured at the end of the hold, when every device is connected and none has started to disconnect.
            @Override
            public void publishingEnded() {
                heldRssKb.set(sampler.snapshot().get("broker").rssKb());
                heapHeld[0] = JvmHeap.liveMb(broker.pid());
            }
        };
        try {
            // One reading per device per 1000 s: the connections are what is measured, not the publishes.
            final LoadResult held = generator.run("connections", hub.mqttUrl(), credentials, 0.001,
                    Duration.ofSeconds(settings.holdSeconds()), window);
            final double rssHeld = heldRssKb.get() / 1024.0;
            final int connected = held.devices();
            return new ConnectionScale(settings.connections(), connected, held.failed(),
                    settings.connectionProcesses(), held.connectSeconds(),
                    held.connectSeconds() > 0 ? Math.round(connected / held.connectSeconds()) : 0,
                    settings.holdSeconds(), round1(heapBefore),
                    round1(heapHeld[0]), round1((heapHeld[0] - heapBefore) * 1024 / Math.max(1, connected)),
                    round1(rssBefore), round1(rssHeld), round1((rssHeld - rssBefore) * 1024 / Math.max(1, connected)),
                    cpuWhileConnecting.get(), String.join(" ", jars.brokerJvmOptions()), null);
        } catch (final RuntimeException e) {
            LOG.warn("Connection scale run failed: {}", e.getMessage());
            return new ConnectionScale(settings.connections(), 0, 0, settings.connectionProcesses(), 0, 0, 0,
                    round1(heapBefore), -1, -1, round1(rssBefore), -1, -1, cpuWhileConnecting.get(),
                    String.join(" ", jars.brokerJvmOptions()), e.getMessage());
        } finally {
            hub.processes().keySet().forEach(sampler::forget);
        }
    }

    private void write(final BenchRun run, final Instant started) throws IOException {
        final Path benchDir = Files.createDirectories(settings.root().resolve("bench"));
        final String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        final String jsonName = "results-" + stamp + ".json";
        JSON.writeValue(benchDir.resolve(jsonName).toFile(), run);
        JSON.writeValue(benchDir.resolve("latest.json").toFile(), run);
        if (run.targets().isEmpty()) {
            // A connections-only run has no table to compare; its figures are in the JSON.
            LOG.info("Wrote bench/{} and bench/latest.json: {}", jsonName, run.connections());
            return;
        }
        final Path docs = Files.createDirectories(settings.root().resolve("docs"));
        BenchChart.write(run.targets(), docs.resolve("benchmarks.png"));
        final Path markdown = docs.resolve("benchmarks.md");
        final String existing = Files.exists(markdown) ? Files.readString(markdown) : "# Benchmarks\n";
        final String generated = MarkdownReport.render(run, jsonName, "benchmarks.png");
        Files.writeString(markdown, MarkdownReport.merge(existing, generated));
        System.out.println(generated);
        LOG.info("Wrote bench/{}, bench/latest.json, docs/benchmarks.md and docs/benchmarks.png", jsonName);
    }

    private BenchRun.Machine machine() {
        final long memoryMb = ProcStat.kilobytes(readOrEmpty(Path.of("/proc/meminfo")), "MemTotal:") / 1024;
        return new BenchRun.Machine(Runtime.getRuntime().availableProcessors(), memoryMb,
                "Java " + Runtime.version(), System.getProperty("os.name") + " " + System.getProperty("os.version")
                        + " (" + ManagementFactory.getOperatingSystemMXBean().getArch() + ")");
    }

    private static String readOrEmpty(final Path path) {
        try {
            return Files.readString(path);
        } catch (final IOException e) {
            return "";
        }
    }

    private static String mosquittoBinary() {
        for (final String candidate : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto",
                "/usr/local/sbin/mosquitto")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("mosquitto is not installed: sudo apt-get install -y mosquitto");
    }

    private static void awaitQuietly(final java.util.function.BooleanSupplier done, final Duration timeout)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The load generator processes among the sampled ones, in name order. */
    private static List<String> generators(final Map<String, ProcStat> sampled) {
        return sampled.keySet().stream().filter(name -> name.startsWith(CpuShares.GENERATOR_PREFIX)).sorted().toList();
    }

    private static double round1(final double value) {
        return Math.round(value * 10) / 10.0;
    }
}
