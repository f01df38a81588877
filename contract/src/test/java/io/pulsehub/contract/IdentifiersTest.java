package io.pulsehub.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"d1", "A", "thermo-01.kitchen_2", "0"})
    void validDeviceIds(final String id) {
        assertThat(Identifiers.isDeviceId(id)).isTrue();
        assertThat(Identifiers.deviceIdProblem(id)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-d", ".d", "_d", "d/1", "d+", "d#", "d 1", "d,1", "d=1", "d\"", "d\\", "d\n", "é",
            "service:bridge"})
    void invalidDeviceIds(final String id) {
        assertThat(Identifiers.isDeviceId(id)).isFalse();
        assertThat(Identifiers.deviceIdProblem(id)).isNotNull();
    }

    @Test
    void deviceIdLengthLimit() {
        assertThat(Identifiers.isDeviceId("a".repeat(64))).isTrue();
        assertThat(Identifiers.deviceIdProblem("a".repeat(65))).contains("longer than 64");
    }

    @Test
    void metricNames() {
        assertThat(Identifiers.isMetricName("heart_rate")).isTrue();
        assertThat(Identifiers.isMetricName("ts")).isFalse();
        assertThat(Identifiers.isMetricName("_x")).isFalse();
        assertThat(Identifiers.isMetricName("a-b")).isFalse();
        assertThat(Identifiers.isMetricName("a".repeat(65))).isFalse();
    }

    @Test
    void commandNames() {
        assertThat(Identifiers.isCommandName("reboot")).isTrue();
        assertThat(Identifiers.isCommandName("set-interval_2")).isTrue();
        assertThat(Identifiers.isCommandName("a".repeat(64))).isTrue();
        assertThat(Identifiers.commandNameProblem("a".repeat(65))).contains("[A-Za-z0-9_-]{1,64}");
        assertThat(Identifiers.commandNameProblem("")).isEqualTo("command name is missing");
        for (final String bad : new String[] {"a/b", "#", "+", "a b", "a.b", "é", "a\n"}) {
            assertThat(Identifiers.commandNameProblem(bad)).as(bad).isNotNull();
        }
    }

    @Test
    void topics() {
        assertThat(Topics.telemetry("d1")).isEqualTo("devices/d1/telemetry");
        assertThat(Topics.commandsFilter("d1")).isEqualTo("devices/d1/commands/#");
        assertThat(Topics.aggregate("d1", "1m")).isEqualTo("aggregates/d1/1m");
        assertThat(Topics.deviceOfTelemetry("devices/d1/telemetry")).contains("d1");
        assertThat(Topics.deviceOfTelemetry("devices/+/telemetry")).isEmpty();
        assertThat(Topics.deviceOfTelemetry("devices/d1/telemetry/x")).isEmpty();
        assertThat(Topics.deviceOfTelemetry("devices/d1/commands")).isEmpty();
    }

    @Test
    void telemetryTopicOfADeviceIsRecognisedExactly() {
        assertThat(Topics.isTelemetryOf(Topics.telemetry("d1"), "d1")).isTrue();
        assertThat(Topics.isTelemetryOf("devices/d1/telemetry", "d10")).isFalse();
        assertThat(Topics.isTelemetryOf("devices/d10/telemetry", "d1")).isFalse();
        assertThat(Topics.isTelemetryOf("devices/d2/telemetry", "d1")).isFalse();
        assertThat(Topics.isTelemetryOf("devices/d1/telemetry/x", "d1")).isFalse();
        assertThat(Topics.isTelemetryOf("devices/d1/telemetrx", "d1")).isFalse();
        assertThat(Topics.isTelemetryOf("devices/d1/presence", "d1")).isFalse();
        assertThat(Topics.isTelemetryOf("devicesXd1/telemetry", "d1")).isFalse();
        assertThat(Topics.isTelemetryOf("devices/d1Xtelemetry", "d1")).isFalse();
        assertThat(Topics.isTelemetryOf("Devices/d1/telemetry", "d1")).isFalse();
        assertThat(Topics.isTelemetryOf("", "d1")).isFalse();
    }

    /** The rules are loops for speed; they must accept exactly what the documented patterns accept. */
    @Test
    void loopsAcceptExactlyTheDocumentedPatterns() {
        final Pattern deviceId = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
        final Pattern metricName = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
        final Pattern commandName = Pattern.compile("[A-Za-z0-9_-]{1,64}");
        // Mostly characters some rule allows, so that long valid names occur too; now and then one no rule allows.
        final String allowed = "azAZ09_.-";
        final String refused = ":/+# \u00e9\n\u0000@`[{";
        final long seed = 20261123L;
        final Random random = new Random(seed);
        for (int i = 0; i < 50_000; i++) {
            final StringBuilder candidate = new StringBuilder();
            final int length = random.nextInt(4) == 0 ? 60 + random.nextInt(8) : random.nextInt(6);
            for (int c = 0; c < length; c++) {
                final String from = random.nextInt(20) == 0 ? refused : allowed;
                candidate.append(from.charAt(random.nextInt(from.length())));
            }
            final String text = candidate.toString();
            assertThat(Identifiers.isDeviceId(text)).as("device id '%s' (seed %d)", text, seed)
                    .isEqualTo(deviceId.matcher(text).matches());
            assertThat(Identifiers.isMetricName(text)).as("metric name '%s' (seed %d)", text, seed)
                    .isEqualTo(metricName.matcher(text).matches()
                            && !Identifiers.RESERVED_METRIC_NAMES.containsKey(text));
            assertThat(Identifiers.isCommandName(text)).as("command name '%s' (seed %d)", text, seed)
                    .isEqualTo(commandName.matcher(text).matches());
        }
    }
}
