package io.pulsehub.simulator.load;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.pulsehub.contract.Topics;
import io.pulsehub.simulator.profile.DeviceModel;

/**
 * One simulated device: publishes its readings as its {@link PublishPlan} allows, keeping at most
 * {@code maxInflight} unacknowledged. Driven by the run's timer and, so a fast hub is not kept waiting for the next
 * tick, by its own acknowledgements.
 * <p>
 * With {@link OfflineSettings} it goes offline once: it disconnects, keeps taking readings at its rate into a
 * buffer, reconnects when the time is up (or the run ends), and uploads the buffer as array payloads, oldest first,
 * before it publishes live again, as offline-first firmware does.
 */
final class SimulatedDevice {

    private static final long RECONNECT_PAUSE_NANOS = 1_000_000_000L;

    private final String id;
    private final DeviceConnection connection;
    private final DeviceModel model;
    private final PublishPlan plan;
    private final String topic;
    private final int qos;
    private final int maxInflight;
    private final PublishStats stats;
    private final Runnable onFinished;
    private final OfflineSettings offline;
    /** Runs the disconnect of going offline: Paho refuses a disconnect from its own callback threads. */
    private final Executor offlineExecutor;
    private CompletableFuture<Void> disconnected = CompletableFuture.completedFuture(null);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean stopped;

    // guarded by this
    private long published;
    /** A reading the client did not take yet: kept so {@code seq} has no gaps. */
    private byte[] pendingReading;
    private long lastTsMillis;
    /** Readings taken while offline, not yet handed to the client. */
    private final Deque<byte[]> buffer = new ArrayDeque<>();
    private boolean wentOffline;
    private boolean isOffline;
    private boolean reconnecting;
    private long offlineUntilNanos;
    private long nextReconnectNanos;

    /**
     * @param maxInflight at most this many unacknowledged; capped to what the hub accepts (MQTT 5 Receive Maximum),
     *                    since Paho refuses more anyway, and each refusal costs an exception
     */
    SimulatedDevice(final String id, final DeviceConnection connection, final DeviceModel model,
                    final PublishPlan plan, final int qos, final int maxInflight, final PublishStats stats,
                    final Runnable onFinished, final OfflineSettings offline, final Executor offlineExecutor) {
        this.id = id;
        this.connection = connection;
        this.model = model;
        this.plan = plan;
        this.topic = Topics.telemetry(id);
        this.qos = qos;
        this.maxInflight = Math.min(maxInflight, connection.hubInFlightLimit());
        this.stats = stats;
        this.onFinished = onFinished;
        this.offline = offline;
        this.offlineExecutor = offlineExecutor;
    }

    /** Publishes whatever is due and fits into the in-flight window. */
    synchronized void pump(final long nowNanos) {
        if (isOffline) {
            bufferWhileOffline(nowNanos);
        } else if (uploadBuffered() && !stopped) {
            final long due = Math.min(plan.dueBy(nowNanos), liveLimit());
            while (published < due && inFlight.get() < maxInflight && publishOne()) {
                published++;
            }
            if (offline != null && !wentOffline && published >= offline.afterReadings() && inFlight.get() == 0) {
                goOffline(nowNanos);
            }
        }
        finishIfDone();
    }

    /** Readings published live before going offline: publishing pauses there until the in-flight ones are done. */
    private long liveLimit() {
        return offline == null || wentOffline ? Long.MAX_VALUE : offline.afterReadings();
    }

    private void goOffline(final long nowNanos) {
        wentOffline = true;
        isOffline = true;
        offlineUntilNanos = nowNanos + offline.offlineFor().toNanos();
        // Often called from an acknowledgement, on the client's callback thread.
        disconnected = CompletableFuture.runAsync(connection::goOffline, offlineExecutor);
    }

    private void bufferWhileOffline(final long nowNanos) {
        if (!stopped) {
            final long due = plan.dueBy(nowNanos);
            while (published < due) {
                buffer.addLast(model.nextReading(nextTimestamp()));
                stats.buffered();
                published++;
            }
        }
        // The end of the run ends the offline time too: buffered readings are uploaded, not dropped.
        if ((stopped || published >= plan.limit() || nowNanos - offlineUntilNanos >= 0) && disconnected.isDone()
                && (nextReconnectNanos == 0 || nowNanos - nextReconnectNanos >= 0) && !reconnecting) {
            reconnecting = true;
            connection.connect().whenComplete((ignored, failure) -> reconnected(failure == null));
        }
    }

    private void reconnected(final boolean connected) {
        synchronized (this) {
            reconnecting = false;
            isOffline = !connected;
            // A hub that is not back yet is asked again a second later, not on every tick.
            nextReconnectNanos = System.nanoTime() + RECONNECT_PAUSE_NANOS;
        }
        pump(System.nanoTime());
    }

    /** @return true once nothing buffered is left to hand to the client */
    private boolean uploadBuffered() {
        while (!buffer.isEmpty() && inFlight.get() < maxInflight) {
            final int readings = Math.min(offline.batchSize(), buffer.size());
            final ByteArrayOutputStream array = new ByteArrayOutputStream(readings * 200);
            array.write('[');
            int index = 0;
            for (final byte[] reading : buffer) {
                if (index == readings) {
                    break;
                }
                if (index++ > 0) {
                    array.write(',');
                }
                array.writeBytes(reading);
            }
            array.write(']');
            inFlight.incrementAndGet();
            stats.sent();
            if (!connection.publish(topic, array.toByteArray(), qos, new Outcome(System.nanoTime(), readings))) {
                inFlight.decrementAndGet();
                stats.unsent();
                return false;
            }
            stats.uploadSent();
            for (int taken = 0; taken < readings; taken++) {
                buffer.removeFirst();
            }
        }
        return buffer.isEmpty();
    }

    private boolean publishOne() {
        if (pendingReading == null) {
            pendingReading = model.nextReading(nextTimestamp());
        }
        inFlight.incrementAndGet();
        stats.sent();
        final long publishedNanos = System.nanoTime();
        if (!connection.publish(topic, pendingReading, qos, new Outcome(publishedNanos, 0))) {
            inFlight.decrementAndGet();
            stats.unsent();
            return false;
        }
        pendingReading = null;
        return true;
    }

    /**
     * Distinct and increasing per device: a reading's {@code ts} is part of its identity in InfluxDB, so two readings
     * of one device in the same millisecond would overwrite each other. Above 1000 readings/s per device the
     * timestamps run ahead of the clock.
     */
    private long nextTimestamp() {
        lastTsMillis = Math.max(System.currentTimeMillis(), lastTsMillis + 1);
        return lastTsMillis;
    }

    /** Publishes nothing more; the device finishes once its in-flight publishes completed. */
    void stop() {
        stopped = true;
        synchronized (this) {
            finishIfDone();
        }
    }

    private void finishIfDone() {
        if ((stopped || published >= plan.limit()) && inFlight.get() == 0 && !isOffline && buffer.isEmpty()
                && finished.compareAndSet(false, true)) {
            onFinished.run();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    String id() {
        return id;
    }

    DeviceConnection connection() {
        return connection;
    }

    /** Counts a publish once: Paho may report a failure on connection loss and complete the resent copy later. */
    private final class Outcome implements DeviceConnection.PublishCallback {

        private final long publishedNanos;
        /** Buffered readings in this publish; 0 for a live one. */
        private final int bufferedReadings;
        private final AtomicBoolean reported = new AtomicBoolean();

        Outcome(final long publishedNanos, final int bufferedReadings) {
            this.publishedNanos = publishedNanos;
            this.bufferedReadings = bufferedReadings;
        }

        @Override
        public void acknowledged() {
            if (reported.compareAndSet(false, true)) {
                stats.acknowledged(publishedNanos);
                stats.uploaded(bufferedReadings);
                completed();
            }
        }

        @Override
        public void refused(final String reason) {
            if (reported.compareAndSet(false, true)) {
                stats.refused(reason);
                completed();
            }
        }

        @Override
        public void failed(final String reason) {
            if (reported.compareAndSet(false, true)) {
                stats.failed(reason);
                completed();
            }
        }

        private void completed() {
            inFlight.decrementAndGet();
            pump(System.nanoTime());
        }
    }
}
