package io.pulsehub.e2e;

import org.awaitility.core.ConditionTimeoutException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Devices that each send uniquely numbered readings ({@code seq}, and a {@code ts} distinct per device) at a steady
 * rate, as firmware would: a reading is sent again, with the same {@code ts}, until the hub acknowledges it, and a
 * lost connection is re-established before the next attempt. Every attempt and answer goes into the ledger.
 */
final class FaultLoad implements AutoCloseable {

    /** Finishing the reading in hand may take a reconnect through a hub that is just coming back. */
    private static final Duration DRAIN = Duration.ofSeconds(90);

    private final List<FaultDevice> devices;
    private final FaultLedger ledger;
    private final long periodMicros;
    private final List<Semaphore> permits = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean running = true;
    private volatile long drainDeadlineNanos = Long.MAX_VALUE;

    FaultLoad(final List<FaultDevice> devices, final FaultLedger ledger, final int readingsPerSecond) {
        this.devices = List.copyOf(devices);
        this.ledger = ledger;
        this.periodMicros = 1_000_000L / readingsPerSecond;
    }

    void start() {
        for (final FaultDevice device : devices) {
            final Semaphore semaphore = new Semaphore(0);
            permits.add(semaphore);
            final Thread thread = new Thread(() -> run(device, semaphore), "fault-load-" + device.id());
            thread.setDaemon(true);
            threads.add(thread);
        }
        // Permits instead of sleeping: attempts, first ones and resends alike, never exceed the rate.
        pacer.scheduleAtFixedRate(() -> permits.forEach(p -> {
            if (p.availablePermits() < 3) {
                p.release();
            }
        }), 0, periodMicros, TimeUnit.MICROSECONDS);
        threads.forEach(Thread::start);
    }

    /** Stops sending new readings; each device finishes the reading in hand (acknowledged or given up). */
    void stop() throws InterruptedException {
        drainDeadlineNanos = System.nanoTime() + DRAIN.toNanos();
        running = false;
        for (final Thread thread : threads) {
            thread.join(DRAIN.toMillis() + 30_000);
        }
        pacer.shutdownNow();
    }

    private void run(final FaultDevice device, final Semaphore permit) {
        long seq = 0;
        long lastTs = 0;
        try {
            while (running) {
                if (!permit.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                final long ts = Math.max(System.currentTimeMillis(), lastTs + 1);
                lastTs = ts;
                final FaultLedger.Sent sent = ledger.sent(device.id(), seq, ts);
                deliver(device, permit, sent, payload(sent));
                seq++;
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(final FaultDevice device, final Semaphore permit, final FaultLedger.Sent sent,
                         final byte[] payload) throws InterruptedException {
        boolean first = true;
        while (!sent.acked) {
            if (System.nanoTime() > drainDeadlineNanos) {
                return;
            }
            if (!first) {
                permit.acquire();
            }
            first = false;
            if (!device.isConnected() && !reconnected(device)) {
                return;
            }
            ledger.answered(sent, device.publish(payload));
        }
    }

    private boolean reconnected(final FaultDevice device) {
        try {
            await("reconnect of " + device.id()).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> device.connect() || System.nanoTime() > drainDeadlineNanos);
            return device.isConnected();
        } catch (final ConditionTimeoutException e) {
            return false;
        }
    }

    static byte[] payload(final FaultLedger.Sent sent) {
        return String.format(Locale.ROOT, "{\"ts\":%d,\"seq\":%d,\"temperature\":%s}", sent.ts, sent.seq,
                temperature(sent.seq)).getBytes(StandardCharsets.UTF_8);
    }

    /** Distinct enough per window that a missing or doubled reading changes sum, min, max or last. */
    static double temperature(final long seq) {
        return 15 + (seq * 7 % 101) / 4.0;
    }

    @Override
    public void close() {
        running = false;
        pacer.shutdownNow();
        devices.forEach(FaultDevice::close);
    }
}
