package io.pulsehub.simulator.profile;

/** The evolving state of one simulated device. Not thread-safe: each device is driven by one thread at a time. */
public interface DeviceModel {

    /**
     * Advances the device by one reading and encodes it as the contract's telemetry payload.
     *
     * @param epochMillis the reading's {@code ts}
     */
    byte[] nextReading(long epochMillis);
}
