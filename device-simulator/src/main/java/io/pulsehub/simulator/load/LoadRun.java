package io.pulsehub.simulator.load;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pulsehub.simulator.CannotStartException;
import io.pulsehub.simulator.credentials.DeviceCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load run: connects every device, publishes on schedule until the count, the duration or a stop request, waits
 * for the outstanding acknowledgements, disconnects, and reports. Progress goes to {@code progress} once a second.
 */
public final class LoadRun {

    private static final Logger log = LoggerFactory.getLogger(LoadRun.class);
    /** Connects in progress at once: enough for thousands of devices in seconds, without a SYN flood. */
    private static final int PARALLEL_CONNECTS = 64;
    private static final int PARALLEL_CLOSES = 32;
    /** Connection losses reported line by line; after that only the progress line counts them. */
    private static final int REPORTED_LOSSES = 5;

    private final LoadSettings settings;
    private final List<DeviceCredentials> credentials;
    private final ProgressReporter progress;
    private final PublishStats stats = new PublishStats();
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private final CompletableFuture<Void> allFinished = new CompletableFuture<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong losses = new AtomicLong();

    public LoadRun(final LoadSettings settings, final List<DeviceCredentials> credentials, final PrintWriter err,
                   final boolean showProgress, final boolean terminal) {
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one device");
        }
        this.settings = settings;
        this.credentials = List.copyOf(credentials);
        this.progress = new ProgressReporter(err, showProgress, terminal);
    }

    /** Ends publishing early (Ctrl-C); {@link #run()} then drains and returns as usual. */
    public void requestStop() {
        stopRequested.complete(null);
    }

    /**
     * @throws CannotStartException when the hub cannot be reached or refuses a device; nothing was published then
     */
    public RunResult run() throws InterruptedException {
        final ScheduledExecutorService timer = Executors.newScheduledThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors() / 2), daemonThreads("simulator-timer"));
        final List<DeviceConnection> connections = new ArrayList<>();
        final long startNanos;
        final long connectNanos;
        try {
            final DeviceConnection.ConnectionEvents events = new ConnectionEvents();
            for (final DeviceCredentials device : credentials) {
                connections.add(DeviceConnections.create(settings.connection(), device, timer, events));
            }
            final long connectStart = System.nanoTime();
            connectAll(connections);
            connectNanos = System.nanoTime() - connectStart;
            progress.note(String.format(Locale.ROOT, "connected %d device%s to %s in %.3f s", connections.size(),
                    connections.size() == 1 ? "" : "s", settings.mqttUrl(), connectNanos / 1e9));
            final int hubLimit = connections.stream().mapToInt(DeviceConnection::hubInFlightLimit).min().orElseThrow();
            if (hubLimit < settings.maxInflight()) {
                progress.event("note: the hub accepts at most " + hubLimit + " unacknowledged publishes per client "
                        + "(its Receive Maximum), so --max-inflight " + settings.maxInflight() + " is capped to "
                        + hubLimit);
            }
            startNanos = publish(connections, timer);
        } finally {
            closeAll(connections);
            timer.shutdownNow();
        }
        // Counted only now that no client can call back any more.
        final long end = stats.lastCompletionNanos() > 0 ? stats.lastCompletionNanos() : System.nanoTime();
        final long sent = stats.sentCount();
        final long acked = stats.ackedCount();
        final long failed = stats.failedCount();
        return new RunResult(connections.size(), Duration.ofNanos(connectNanos), sent, acked, failed,
                Math.max(0, sent - acked - failed),
                Duration.ofNanos(Math.max(0, end - startNanos)), stats.latencyMicros(), stats.reasons(),
                losses.get(), stopRequested.isDone(), stats.offlineCounts());
    }

    private void connectAll(final List<DeviceConnection> connections) throws InterruptedException {
        final Semaphore slots = new Semaphore(PARALLEL_CONNECTS);
        final List<CompletableFuture<Void>> attempts = new ArrayList<>();
        for (final DeviceConnection connection : connections) {
            slots.acquire();
            if (stopRequested.isDone()) {
                throw new CannotStartException("stopped while connecting");
            }
            final CompletableFuture<Void> attempt = connection.connect();
            attempt.whenComplete((ok, failure) -> {
                slots.release();
                if (failure == null) {
                    connected.incrementAndGet();
                }
            });
            attempts.add(attempt);
        }
        ConnectFailure first = null;
        String firstDevice = null;
        int failures = 0;
        for (int index = 0; index < attempts.size(); index++) {
            try {
                attempts.get(index).get();
            } catch (final ExecutionException e) {
                final ConnectFailure failure = e.getCause() instanceof ConnectFailure connectFailure
                        ? connectFailure
                        : new ConnectFailure(ReasonCodes.rootMessage(e.getCause()), false, e.getCause());
                log.debug("Device {} could not connect", credentials.get(index).id(), e.getCause());
                if (failure.unreachable()) {
                    throw new CannotStartException("cannot reach the hub at " + settings.mqttUrl() + " ("
                            + failure.getMessage() + "); is it running? Set --mqtt-url or HUB_MQTT_URL", failure);
                }
                failures++;
                if (first == null) {
                    first = failure;
                    firstDevice = credentials.get(index).id();
                }
            }
        }
        if (first != null) {
            final String others = failures == 1 ? "" : failures == 2 ? " (and 1 more device)"
                    : " (and " + (failures - 1) + " more devices)";
            throw new CannotStartException("device " + firstDevice + " could not connect to " + settings.mqttUrl()
                    + ": " + first.getMessage() + others, first);
        }
    }

    /** @return when publishing started, {@link System#nanoTime()} */
    private long publish(final List<DeviceConnection> connections, final ScheduledExecutorService timer)
            throws InterruptedException {
        final AtomicInteger unfinished = new AtomicInteger(connections.size());
        final Runnable onFinished = () -> {
            if (unfinished.decrementAndGet() == 0) {
                allFinished.complete(null);
            }
        };
        final SplittableRandom random = new SplittableRandom(settings.seed());
        final long startNanos = System.nanoTime();
        if (!settings.latencyAfter().isZero()) {
            stats.recordLatenciesFrom(startNanos + settings.latencyAfter().toNanos());
        }
        final List<SimulatedDevice> devices = new ArrayList<>();
        for (int index = 0; index < connections.size(); index++) {
            final PublishPlan plan = new PublishPlan(
                    PublishPlan.startOf(startNanos, settings.ratePerDevice(), index, connections.size()),
                    settings.ratePerDevice(), settings.limitPerDevice());
            devices.add(new SimulatedDevice(credentials.get(index).id(), connections.get(index),
                    settings.profile().newDevice(random.split()), plan, settings.qos(), settings.maxInflight(),
                    stats, onFinished, settings.offline(), timer));
        }
        final long tickMicros = PublishPlan.tickMicros(settings.ratePerDevice(), devices.size());
        final ScheduledFuture<?> ticks = timer.scheduleAtFixedRate(() -> tick(devices), 0, tickMicros,
                TimeUnit.MICROSECONDS);
        final ScheduledFuture<?> reports = timer.scheduleAtFixedRate(
                () -> progress.report(startNanos, stats, inFlight(devices), connected.get(), devices.size()),
                1, 1, TimeUnit.SECONDS);
        try {
            awaitEndOfPublishing();
            devices.forEach(SimulatedDevice::stop);
            awaitDrained();
        } finally {
            ticks.cancel(false);
            reports.cancel(false);
        }
        progress.finish(startNanos, stats, inFlight(devices), connected.get(), devices.size());
        return startNanos;
    }

    private void awaitEndOfPublishing() throws InterruptedException {
        final CompletableFuture<Object> endOfPublishing = CompletableFuture.anyOf(allFinished, stopRequested);
        try {
            if (settings.duration() == null) {
                endOfPublishing.get();
            } else {
                endOfPublishing.get(settings.duration().toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (final TimeoutException e) {
            log.debug("Duration {} reached", settings.duration());
        } catch (final ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    private void awaitDrained() throws InterruptedException {
        try {
            allFinished.get(settings.drainTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (final TimeoutException e) {
            progress.event("Gave up waiting for acknowledgements after " + settings.drainTimeout().toMillis() + " ms");
        } catch (final ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    private static void tick(final List<SimulatedDevice> devices) {
        final long now = System.nanoTime();
        for (final SimulatedDevice device : devices) {
            try {
                device.pump(now);
            } catch (final RuntimeException e) {
                // One misbehaving client must not stop the timer, which would silently stop every device.
                log.warn("Device {} failed to publish: {}", device.id(), e.toString());
                log.debug("Publish failure", e);
            }
        }
    }

    private static int inFlight(final List<SimulatedDevice> devices) {
        int total = 0;
        for (final SimulatedDevice device : devices) {
            total += device.inFlight();
        }
        return total;
    }

    private void closeAll(final List<DeviceConnection> connections) throws InterruptedException {
        if (connections.isEmpty()) {
            return;
        }
        final ExecutorService closer = Executors.newFixedThreadPool(Math.min(PARALLEL_CLOSES, connections.size()),
                daemonThreads("simulator-close"));
        connections.forEach(connection -> closer.execute(connection::close));
        closer.shutdown();
        if (!closer.awaitTermination(30, TimeUnit.SECONDS)) {
            log.warn("Some MQTT clients did not close within 30 s");
        }
    }

    private static ThreadFactory daemonThreads(final String name) {
        final AtomicInteger number = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private final class ConnectionEvents implements DeviceConnection.ConnectionEvents {
        @Override
        public void lost(final String deviceId, final String reason) {
            connected.decrementAndGet();
            if (losses.incrementAndGet() <= REPORTED_LOSSES) {
                progress.event("device " + deviceId + " lost its connection (" + reason + "); reconnecting");
            }
        }

        @Override
        public void restored(final String deviceId) {
            connected.incrementAndGet();
        }
    }
}
