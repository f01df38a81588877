package io.pulsehub.simulator.load;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.pulsehub.contract.Topics;
import io.pulsehub.simulator.profile.DeviceModel;

/**
 * One simulated device: publishes its readings as its {@link PublishPlan} allows, keeping at most
 * {@code maxInflight} unacknowledged. Driven by the run's timer and, so a fast hub is not kept waiting for the next
 * tick, by its own acknowledgements.
 */
final class SimulatedDevice {

    private final String id;
    private final DeviceConnection connection;
    private final DeviceModel model;
    private final PublishPlan plan;
    private final String topic;
    private final int qos;
    private final int maxInflight;
    private final PublishStats stats;
    private final Runnable onFinished;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean stopped;

    // guarded by this
    private long published;
    /** A reading the client did not take yet: kept so {@code seq} has no gaps. */
    private byte[] pendingReading;
    private long lastTsMillis;

    /**
     * @param maxInflight at most this many unacknowledged; capped to what the hub accepts (MQTT 5 Receive Maximum),
     *                    since Paho refuses more anyway, and each refusal costs an exception
     */
    SimulatedDevice(final String id, final DeviceConnection connection, final DeviceModel model,
                    final PublishPlan plan, final int qos, final int maxInflight, final PublishStats stats,
                    final Runnable onFinished) {
        this.id = id;
        this.connection = connection;
        this.model = model;
        this.plan = plan;
        this.topic = Topics.telemetry(id);
        this.qos = qos;
        this.maxInflight = Math.min(maxInflight, connection.hubInFlightLimit());
        this.stats = stats;
        this.onFinished = onFinished;
    }

    /** Publishes whatever is due and fits into the in-flight window. */
    synchronized void pump(final long nowNanos) {
        if (!stopped) {
            final long due = plan.dueBy(nowNanos);
            while (published < due && inFlight.get() < maxInflight && publishOne()) {
                published++;
            }
        }
        finishIfDone();
    }

    private boolean publishOne() {
        if (pendingReading == null) {
            pendingReading = model.nextReading(nextTimestamp());
        }
        inFlight.incrementAndGet();
        stats.sent();
        final long publishedNanos = System.nanoTime();
        if (!connection.publish(topic, pendingReading, qos, new Outcome(publishedNanos))) {
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
        if ((stopped || published >= plan.limit()) && inFlight.get() == 0 && finished.compareAndSet(false, true)) {
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
        private final AtomicBoolean reported = new AtomicBoolean();

        Outcome(final long publishedNanos) {
            this.publishedNanos = publishedNanos;
        }

        @Override
        public void acknowledged() {
            if (reported.compareAndSet(false, true)) {
                stats.acknowledged(publishedNanos);
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
