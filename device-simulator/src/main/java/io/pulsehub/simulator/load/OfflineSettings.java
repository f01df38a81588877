package io.pulsehub.simulator.load;

import java.time.Duration;
import java.util.Objects;

/**
 * A device that drops off the network once, as a wearable out of range or a sensor on a flaky link: after
 * {@code afterReadings} readings it disconnects, keeps taking readings (each with its own {@code ts}) into a buffer
 * for {@code offlineFor}, then reconnects and uploads the buffer as array payloads before it goes on live.
 *
 * @param afterReadings readings each device publishes live before it goes offline
 * @param offlineFor    how long it stays offline
 * @param batchSize     readings per uploaded array payload
 */
public record OfflineSettings(long afterReadings, Duration offlineFor, int batchSize) {

    /** Well below the hub's 1000 readings per payload and small enough to stay a few kilobytes. */
    public static final int DEFAULT_BATCH_SIZE = 100;

    public OfflineSettings {
        Objects.requireNonNull(offlineFor, "offlineFor");
        if (afterReadings < 1) {
            throw new IllegalArgumentException("offline after must be at least 1 reading");
        }
        if (offlineFor.isNegative() || offlineFor.isZero()) {
            throw new IllegalArgumentException("offline duration must be positive");
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("upload batch size must be 1..1000, not " + batchSize);
        }
    }
}
