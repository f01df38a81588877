package io.pulsehub.bridge.mqtt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightLimitTest {

    @ParameterizedTest(name = "receive maximum {0}: {1} in flight, {2} for one batch")
    @CsvSource({"1, 1, 1", "2, 1, 1", "3, 2, 1", "10, 9, 8", "32, 31, 30", "65, 64, 63", "65535, 64, 63"})
    void keepsOneBelowTheBrokersFigureAndOneMoreForCommandsWithinBounds(final int receiveMaximum, final int total,
                                                                       final int window) {
        final BridgeMqttClient.InFlightLimit limit = BridgeMqttClient.InFlightLimit.forReceiveMaximum(receiveMaximum);

        assertThat(limit.total()).isEqualTo(total);
        assertThat(limit.window()).isEqualTo(window);
        assertThat(limit.slots().availablePermits()).isEqualTo(total);
    }
}
