package io.pulsehub.bridge.stream;

import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The Redis time (epoch ms) up to which every telemetry entry that entered Redis has been written to InfluxDB, by
 * this consumer or by any other of the group. Windows ending (plus lateness) at or before it may be aggregated.
 */
@Singleton
public class IngestWatermark {

    private final AtomicLong millis = new AtomicLong(-1);

    /** -1 until the stream loop first caught up with the streams. */
    public long millis() {
        return millis.get();
    }

    /** Only ever moves forward. */
    void advanceTo(final long candidate) {
        millis.accumulateAndGet(candidate, Math::max);
    }
}
