package io.pulsehub.contract;

/**
 * Gives each publish a distinct broker time in epoch nanoseconds. Readings without {@code ts} are timed with it,
 * and their InfluxDB point identity is that time, so two such readings of one device must never share it: the
 * clock advances by at least {@link #STEP_NANOS} per publish (room for the readings of one payload), and never
 * lands on a whole millisecond, which is where readings with an explicit {@code ts} live.
 */
public final class BrokerClock {

    public static final long STEP_NANOS = TelemetryCodec.MAX_READINGS_PER_PAYLOAD;

    private final java.util.function.LongSupplier wallMillis;
    private long last;

    public BrokerClock() {
        this(System::currentTimeMillis);
    }

    public BrokerClock(final java.util.function.LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
    }

    public synchronized long next() {
        long candidate = Math.max(wallMillis.getAsLong() * 1_000_000L + STEP_NANOS, last + STEP_NANOS);
        if (candidate % 1_000_000L == 0) {
            candidate += STEP_NANOS;
        }
        last = candidate;
        return candidate;
    }
}
