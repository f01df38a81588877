package io.pulsehub.e2e;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the load sent and what the hub answered, reading by reading: the test's own bookkeeping, independent of the
 * hub's. Each reading belongs to the fault that was current when it was first sent.
 */
final class FaultLedger {

    /** One uniquely numbered reading of one device; {@code ts} is distinct per device, so it identifies the point. */
    static final class Sent {
        final String device;
        final long seq;
        final long ts;
        final String fault;
        volatile boolean acked;
        volatile int attempts;

        Sent(final String device, final long seq, final long ts, final String fault) {
            this.device = device;
            this.seq = seq;
            this.ts = ts;
            this.fault = fault;
        }
    }

    /** Answers that were not an acknowledgement, per fault. */
    static final class Refusals {
        final AtomicLong refused = new AtomicLong();
        final AtomicLong disconnected = new AtomicLong();
        final AtomicLong noAnswer = new AtomicLong();
        final AtomicLong refusedWithoutReason = new AtomicLong();
        final Set<String> reasons = new ConcurrentSkipListSet<>();
    }

    private final Map<String, List<Sent>> byDevice = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ackedByDevice = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> unackedAnswersByDevice = new ConcurrentHashMap<>();
    private final Map<String, Refusals> refusalsByFault = new ConcurrentHashMap<>();
    private final List<String> faults = new CopyOnWriteArrayList<>();
    private volatile String fault = "none";

    FaultLedger() {
        faults.add(fault);
    }

    /** From now on, readings sent for the first time belong to this fault. */
    void enter(final String name) {
        if (!faults.contains(name)) {
            faults.add(name);
        }
        fault = name;
    }

    List<String> faults() {
        return List.copyOf(faults);
    }

    Sent sent(final String device, final long seq, final long ts) {
        final Sent sent = new Sent(device, seq, ts, fault);
        byDevice.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>()).add(sent);
        return sent;
    }

    void answered(final Sent sent, final FaultDevice.Attempt attempt) {
        sent.attempts++;
        if (attempt.outcome() == FaultDevice.Outcome.ACKED) {
            sent.acked = true;
            ackedByDevice.computeIfAbsent(sent.device, d -> new AtomicLong()).incrementAndGet();
            return;
        }
        unackedAnswersByDevice.computeIfAbsent(sent.device, d -> new AtomicLong()).incrementAndGet();
        final Refusals refusals = refusals(sent.fault);
        switch (attempt.outcome()) {
            case REFUSED -> {
                refusals.refused.incrementAndGet();
                // "0xNN null" is how a negative PUBACK without a reason string looks.
                if (attempt.reason() == null || attempt.reason().endsWith(" null")) {
                    refusals.refusedWithoutReason.incrementAndGet();
                }
            }
            case DISCONNECTED -> refusals.disconnected.incrementAndGet();
            case NO_ANSWER -> refusals.noAnswer.incrementAndGet();
            default -> throw new IllegalStateException(attempt.outcome().name());
        }
        if (attempt.reason() != null && refusals.reasons.size() < 20) {
            refusals.reasons.add(attempt.outcome() + ": " + attempt.reason());
        }
    }

    Refusals refusals(final String faultName) {
        return refusalsByFault.computeIfAbsent(faultName, f -> new Refusals());
    }

    Collection<String> devices() {
        return byDevice.keySet();
    }

    List<Sent> readingsOf(final String device) {
        return new ArrayList<>(byDevice.getOrDefault(device, List.of()));
    }

    long ackedBy(final String device) {
        return ackedByDevice.getOrDefault(device, new AtomicLong()).get();
    }

    long unackedAnswersOf(final String device) {
        return unackedAnswersByDevice.getOrDefault(device, new AtomicLong()).get();
    }
}
