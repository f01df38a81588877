package io.pulsehub.simulator.profile;

import java.util.SplittableRandom;

/**
 * A room thermostat: the temperature drifts down until the heating switches on below the setpoint and back off above
 * it (with hysteresis), humidity wanders around a room's usual range, the battery drains slowly.
 */
final class ThermostatModel implements DeviceModel {

    private static final double HYSTERESIS = 0.3;

    private final SplittableRandom random;
    private double setpoint;
    private double temperature;
    private double humidity;
    private boolean heating;
    private double battery;
    private double rssi;
    private long seq;

    ThermostatModel(final SplittableRandom random) {
        this.random = random;
        this.setpoint = 19.0 + 0.5 * random.nextInt(7);
        this.temperature = setpoint + random.nextDouble(-1.5, 1.5);
        this.humidity = random.nextDouble(35, 55);
        this.battery = random.nextDouble(40, 100);
        this.rssi = random.nextDouble(-80, -50);
    }

    @Override
    public byte[] nextReading(final long epochMillis) {
        if (random.nextInt(2000) == 0) {
            setpoint = Walk.clamp(setpoint + (random.nextBoolean() ? 0.5 : -0.5), 16, 25);
        }
        if (temperature < setpoint - HYSTERESIS) {
            heating = true;
        } else if (temperature > setpoint + HYSTERESIS) {
            heating = false;
        }
        temperature = Walk.clamp(temperature + (heating ? 0.02 : -0.015) + 0.02 * Walk.gaussian(random), 5, 35);
        humidity = Walk.step(random, humidity, 45, 0.01, 0.2, 20, 80);
        battery = battery < 5 ? 100 : battery - 0.002;
        rssi = Walk.step(random, rssi, -65, 0.02, 0.8, -95, -35);
        seq++;
        return new ReadingJson(epochMillis)
                .decimal("temperature", temperature, 2)
                .decimal("humidity", humidity, 1)
                .decimal("setpoint", setpoint, 1)
                .integer("heating", heating ? 1 : 0)
                .decimal("battery", battery, 1)
                .integer("rssi", Math.round(rssi))
                .integer("seq", seq)
                .toBytes();
    }
}
