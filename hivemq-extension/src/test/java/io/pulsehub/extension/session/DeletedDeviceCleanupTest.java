package io.pulsehub.extension.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeletedDeviceCleanupTest {

    @Test
    void everyTopicAndFilterOfTheDeviceConcernsIt() {
        for (final String topic : new String[]{"devices/d1/telemetry", "devices/d1/presence", "devices/d1/commands/#",
                "devices/d1/commands/reboot", "aggregates/d1/#", "aggregates/d1/1m", "alerts/d1/hot", "devices/d1"}) {
            assertThat(DeletedDeviceCleanup.concerns(topic, "d1")).as(topic).isTrue();
        }
    }

    @Test
    void otherDevicesAndOtherTreesDoNot() {
        for (final String topic : new String[]{"devices/d10/telemetry", "devices/d/telemetry", "aggregates/d2/1m",
                "other/d1/x", "devices", "d1", "#", "devices/+/telemetry", "$share/g/devices/d1/telemetry"}) {
            assertThat(DeletedDeviceCleanup.concerns(topic, "d1")).as(topic).isFalse();
        }
    }
}
