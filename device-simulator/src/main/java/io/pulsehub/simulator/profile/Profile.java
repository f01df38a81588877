package io.pulsehub.simulator.profile;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A kind of device and the readings it sends. Besides the metrics a profile is about, readings carry the auxiliary
 * values a real device of that kind reports (battery, signal, ...) and {@code seq}, the reading's number per device
 * counted from 1, so a reading is 100 to 200 bytes like a real payload and loss or duplication can be checked in
 * InfluxDB.
 */
public enum Profile {

    THERMOSTAT(List.of("temperature", "humidity")) {
        @Override
        public DeviceModel newDevice(final SplittableRandom random) {
            return new ThermostatModel(random);
        }
    },
    WEARABLE(List.of("heart_rate", "steps")) {
        @Override
        public DeviceModel newDevice(final SplittableRandom random) {
            return new WearableModel(random);
        }
    };

    /** The smallest and largest payload a profile produces, in bytes. */
    public static final int MIN_PAYLOAD_BYTES = 100;
    public static final int MAX_PAYLOAD_BYTES = 200;

    private final List<String> mainMetrics;

    Profile(final List<String> mainMetrics) {
        this.mainMetrics = mainMetrics;
    }

    /** One simulated device of this kind, its values starting from a random plausible state. */
    public abstract DeviceModel newDevice(SplittableRandom random);

    /** The metrics this kind of device exists to measure. */
    public List<String> mainMetrics() {
        return mainMetrics;
    }

    /** The name on the command line and in summaries. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
