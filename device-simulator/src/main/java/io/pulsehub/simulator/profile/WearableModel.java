package io.pulsehub.simulator.profile;

import java.util.SplittableRandom;

/**
 * A fitness band: the wearer rests, walks or runs for a while; heart rate follows the activity with some lag, steps
 * count up at the activity's cadence (as if read once a second), skin temperature and SpO2 wander in their ranges.
 */
final class WearableModel implements DeviceModel {

    private enum Activity {
        REST(68, 0.0), WALK(98, 1.7), RUN(152, 2.8);

        final double heartRate;
        final double stepsPerReading;

        Activity(final double heartRate, final double stepsPerReading) {
            this.heartRate = heartRate;
            this.stepsPerReading = stepsPerReading;
        }
    }

    private final SplittableRandom random;
    private Activity activity = Activity.REST;
    private double heartRate;
    private long steps;
    private double skinTemperature;
    private double spo2;
    private double battery;
    private double rssi;
    private long seq;

    WearableModel(final SplittableRandom random) {
        this.random = random;
        this.heartRate = random.nextDouble(60, 80);
        this.steps = random.nextInt(12_000);
        this.skinTemperature = random.nextDouble(32.5, 34.5);
        this.spo2 = random.nextDouble(96, 99.5);
        this.battery = random.nextDouble(30, 100);
        this.rssi = random.nextDouble(-75, -45);
    }

    @Override
    public byte[] nextReading(final long epochMillis) {
        if (random.nextInt(300) == 0) {
            activity = Activity.values()[random.nextInt(Activity.values().length)];
        }
        heartRate = Walk.step(random, heartRate, activity.heartRate, 0.05, 1.2, 40, 200);
        final double cadence = activity.stepsPerReading + (activity == Activity.REST ? 0 : 0.3 * Walk.gaussian(random));
        steps += Math.max(0, Math.round(cadence));
        skinTemperature = Walk.step(random, skinTemperature, activity == Activity.RUN ? 34.8 : 33.5, 0.01, 0.03,
                30, 37);
        spo2 = Walk.step(random, spo2, 97.5, 0.05, 0.2, 90, 100);
        battery = battery < 5 ? 100 : battery - 0.003;
        rssi = Walk.step(random, rssi, -60, 0.02, 1.0, -95, -35);
        seq++;
        return new ReadingJson(epochMillis)
                .integer("heart_rate", Math.round(heartRate))
                .integer("steps", steps)
                .decimal("skin_temperature", skinTemperature, 2)
                .decimal("spo2", spo2, 1)
                .decimal("battery", battery, 1)
                .integer("rssi", Math.round(rssi))
                .integer("seq", seq)
                .toBytes();
    }
}
