package io.pulsehub.simulator.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttVersionTest {

    @Test
    void readsThreeAndFive() {
        assertThat(MqttVersion.parse("3")).isEqualTo(MqttVersion.V3_1_1);
        assertThat(MqttVersion.parse("3.1.1")).isEqualTo(MqttVersion.V3_1_1);
        assertThat(MqttVersion.parse("5")).isEqualTo(MqttVersion.V5);
        assertThatThrownBy(() -> MqttVersion.parse("4")).hasMessageContaining("use 3 or 5");
    }
}
