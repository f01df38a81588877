package io.pulsehub.simulator.profile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import io.pulsehub.contract.InvalidTelemetryException;
import io.pulsehub.contract.Reading;
import io.pulsehub.contract.TelemetryCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class ProfileTest {

    /** Long enough for the slow drifts to reach their limits: batteries run down and recharge, activities change. */
    private static final int READINGS = 40_000;
    private static final long START_MILLIS = 1_732_330_000_000L;

    @ParameterizedTest
    @EnumSource(Profile.class)
    void everyReadingIsValidTelemetryOf100To200BytesWithTsAndTheProfilesMetrics(final Profile profile)
            throws InvalidTelemetryException {
        for (final long seed : new long[]{1, 42}) {
            final DeviceModel device = profile.newDevice(new SplittableRandom(seed));
            for (int index = 0; index < READINGS; index++) {
                final long ts = START_MILLIS + index * 1000L;
                final byte[] payload = device.nextReading(ts);
                // plain checks in the loop: an assertion object per reading would dominate the test's time
                if (payload.length < Profile.MIN_PAYLOAD_BYTES || payload.length > Profile.MAX_PAYLOAD_BYTES) {
                    fail("reading %d of %s is %d bytes: %s", index, profile, payload.length, text(payload));
                }
                final List<Reading> readings = TelemetryCodec.decode(payload, ts * 1_000_000L);
                final Reading reading = readings.get(0);
                if (readings.size() != 1 || reading.epochMillis() != ts
                        || !reading.metrics().keySet().containsAll(profile.mainMetrics())
                        || reading.metrics().get("seq") != index + 1.0) {
                    fail("reading %d of %s: %s decodes to %s", index, profile, text(payload), readings);
                }
            }
        }
    }

    private static String text(final byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void valuesStayPlausible(final Profile profile) throws InvalidTelemetryException {
        final DeviceModel device = profile.newDevice(new SplittableRandom(3));
        double previousSteps = -1;
        for (int index = 0; index < READINGS / 4; index++) {
            final var metrics = TelemetryCodec.decode(device.nextReading(START_MILLIS), START_MILLIS * 1_000_000L)
                    .get(0).metrics();
            switch (profile) {
                case THERMOSTAT -> {
                    assertThat(metrics.get("temperature")).isBetween(5.0, 35.0);
                    assertThat(metrics.get("humidity")).isBetween(20.0, 80.0);
                    assertThat(metrics.get("heating")).isIn(0.0, 1.0);
                }
                case WEARABLE -> {
                    assertThat(metrics.get("heart_rate")).isBetween(40.0, 200.0);
                    assertThat(metrics.get("steps")).as("a step counter never goes back")
                            .isGreaterThanOrEqualTo(previousSteps);
                    previousSteps = metrics.get("steps");
                    assertThat(metrics.get("spo2")).isBetween(90.0, 100.0);
                }
                default -> fail("no expectations for " + profile);
            }
            assertThat(metrics.get("battery")).isBetween(0.0, 100.0);
            assertThat(metrics.get("rssi")).isBetween(-95.0, -35.0);
        }
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void theMainMetricsWalkRatherThanJump(final Profile profile) throws InvalidTelemetryException {
        final DeviceModel device = profile.newDevice(new SplittableRandom(11));
        final String metric = profile.mainMetrics().get(0);
        double previous = Double.NaN;
        double largestStep = 0;
        boolean changed = false;
        for (int index = 0; index < 5_000; index++) {
            final double value = TelemetryCodec.decode(device.nextReading(START_MILLIS), START_MILLIS * 1_000_000L)
                    .get(0).metrics().get(metric);
            if (!Double.isNaN(previous)) {
                largestStep = Math.max(largestStep, Math.abs(value - previous));
                changed |= value != previous;
            }
            previous = value;
        }
        assertThat(changed).as(metric + " changes").isTrue();
        assertThat(largestStep).as("largest step of " + metric).isLessThan(profile == Profile.THERMOSTAT ? 0.5 : 10);
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void theSameSeedGivesTheSameReadings(final Profile profile) {
        final DeviceModel first = profile.newDevice(new SplittableRandom(5));
        final DeviceModel second = profile.newDevice(new SplittableRandom(5));
        for (int index = 0; index < 100; index++) {
            assertThat(first.nextReading(START_MILLIS + index)).isEqualTo(second.nextReading(START_MILLIS + index));
        }
    }
}
