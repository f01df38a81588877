package io.pulsehub.extension.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TopicPermissionsTest {

    private static final Identity DEVICE = Identity.device("d1");
    private static final Identity APP = Identity.app("alice");
    private static final Identity SERVICE = Identity.service("bridge");

    private static void assertAllowed(final Verdict verdict) {
        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.ALLOW);
    }

    private static void assertDenied(final Verdict verdict) {
        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.DENY);
        assertThat(verdict.reason()).isNotBlank();
    }

    private static void assertNeedsOwnershipOf(final Verdict verdict, final String deviceId) {
        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.IF_OWNER);
        assertThat(verdict.deviceId()).isEqualTo(deviceId);
    }

    @Test
    void devicePublishesOnlyItsOwnTelemetry() {
        assertAllowed(TopicPermissions.publish(DEVICE, "devices/d1/telemetry"));
        assertThat(TopicPermissions.isOwnTelemetry(DEVICE, "devices/d1/telemetry")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/d2/telemetry", "devices/d1/presence", "devices/d1/commands/reboot",
            "aggregates/d1/1m", "alerts/d1/x", "devices/d1/telemetry/extra", "devices/d1", "$SYS/x", "d1",
            "devices//telemetry"})
    void deviceMayPublishNowhereElse(final String topic) {
        assertDenied(TopicPermissions.publish(DEVICE, topic));
        assertThat(TopicPermissions.isOwnTelemetry(DEVICE, topic)).isFalse();
    }

    @Test
    void onlyADeviceHasOwnTelemetry() {
        assertThat(TopicPermissions.isOwnTelemetry(Identity.app("d1"), "devices/d1/telemetry")).isFalse();
        assertThat(TopicPermissions.isOwnTelemetry(Identity.service("d1"), "devices/d1/telemetry")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/d1/commands/#", "devices/d1/commands/reboot", "devices/d1/commands/+",
            "devices/d1/commands/a/b"})
    void deviceSubscribesInsideItsOwnCommands(final String filter) {
        assertAllowed(TopicPermissions.subscribe(DEVICE, filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/d2/commands/#", "devices/+/commands/#", "devices/d1/#", "#", "devices/d1/+/x",
            "devices/d1/telemetry", "aggregates/d1/#", "$share/g/devices/d1/commands/#", "devices/d1/commands"})
    void deviceMaySubscribeNowhereElse(final String filter) {
        assertDenied(TopicPermissions.subscribe(DEVICE, filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/d7/telemetry", "devices/d7/presence", "aggregates/d7/#", "aggregates/d7/1m",
            "aggregates/d7/+", "alerts/d7/#", "alerts/d7/overheat"})
    void appSubscriptionsToADeviceNeedOwnershipOfThatDevice(final String filter) {
        assertNeedsOwnershipOf(TopicPermissions.subscribe(APP, filter), "d7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aggregates/#", "aggregates/+/1m", "+/+/telemetry", "#", "+", "devices/+/telemetry",
            "devices/#", "alerts/+/#", "+/d7/telemetry"})
    void appWildcardsInTheDevicePositionAreRefusedNotNarrowed(final String filter) {
        final Verdict verdict = TopicPermissions.subscribe(APP, filter);

        assertDenied(verdict);
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/d7/commands/#", "devices/d7/#", "devices/d7/telemetry/x", "other/d7/x",
            "$share/group/devices/d7/telemetry", "$SYS/#", "devices/bad id/telemetry", "aggregates/d7#"})
    void appMaySubscribeNothingElse(final String filter) {
        assertDenied(TopicPermissions.subscribe(APP, filter));
    }

    @Test
    void appCommandsNeedOwnershipOfTheDevice() {
        assertNeedsOwnershipOf(TopicPermissions.publish(APP, "devices/d7/commands/reboot"), "d7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/d7/telemetry", "devices/d7/commands", "devices/d7/commands/",
            "devices/d7/commands/a/b", "aggregates/d7/1m", "alerts/d7/x", "devices/d7/presence", "$SYS/x"})
    void appMayPublishNothingButCommands(final String topic) {
        assertDenied(TopicPermissions.publish(APP, topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aggregates/d1/1m", "aggregates/d1/10s", "alerts/d1/overheat", "devices/d1/commands/x",
            "devices/other-device/commands/reboot"})
    void servicePublishesAggregatesAlertsAndCommands(final String topic) {
        assertAllowed(TopicPermissions.publish(SERVICE, topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/d1/telemetry", "devices/d1/presence", "devices/d1/commands",
            "devices/d1/commands/", "devices/d1/commands/a/b", "devices/bad id/commands/x", "aggregates",
            "aggregates/", "other/x", "$SYS/x"})
    void servicePublishesNothingElse(final String topic) {
        assertDenied(TopicPermissions.publish(SERVICE, topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aggregates/#", "devices/d1/telemetry", "#", "$share/g/aggregates/#"})
    void serviceSubscribesToNothing(final String filter) {
        assertDenied(TopicPermissions.subscribe(SERVICE, filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"devices/d1/commands/#/x", "devices/d1/commands/a+", "devices/d1/commands/#x"})
    void malformedFiltersAreRefused(final String filter) {
        assertDenied(TopicPermissions.subscribe(DEVICE, filter));
    }
}
