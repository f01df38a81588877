package io.pulsehub.bridge.health;

import io.pulsehub.bridge.config.BridgeConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthStatusTest {

    @Test
    void lagIsDegradedAboveTheFirstThresholdAndDownAboveTheSecond() {
        final BridgeConfig.LagThresholds thresholds = new BridgeConfig.LagThresholds(60_000, 300_000);

        assertThat(HealthStatus.ofLag(0, thresholds)).isEqualTo(HealthStatus.UP);
        assertThat(HealthStatus.ofLag(60_000, thresholds)).isEqualTo(HealthStatus.UP);
        assertThat(HealthStatus.ofLag(60_001, thresholds)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.ofLag(300_000, thresholds)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.ofLag(300_001, thresholds)).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void withoutADownThresholdLagNeverMakesTheBridgeDown() {
        assertThat(HealthStatus.ofLag(Long.MAX_VALUE, new BridgeConfig.LagThresholds(60_000, 0)))
                .isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void theBridgeIsAsHealthyAsItsLeastHealthyComponent() {
        assertThat(HealthStatus.worst(List.of())).isEqualTo(HealthStatus.UP);
        assertThat(HealthStatus.worst(List.of(HealthStatus.UP, HealthStatus.DEGRADED, HealthStatus.UP)))
                .isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.worst(List.of(HealthStatus.DOWN, HealthStatus.DEGRADED)))
                .isEqualTo(HealthStatus.DOWN);
    }
}
