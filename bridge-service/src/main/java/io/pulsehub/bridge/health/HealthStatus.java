package io.pulsehub.bridge.health;

import io.pulsehub.bridge.config.BridgeConfig;

import java.util.List;

/** Ordered from best to worst; the bridge is as healthy as its least healthy component. */
enum HealthStatus {
    UP, DEGRADED, DOWN;

    static HealthStatus worst(final List<HealthStatus> statuses) {
        HealthStatus worst = UP;
        for (final HealthStatus status : statuses) {
            worst = status.ordinal() > worst.ordinal() ? status : worst;
        }
        return worst;
    }

    /** @param oldestAgeMillis age of the oldest entry not written yet, 0 when there is none */
    static HealthStatus ofLag(final long oldestAgeMillis, final BridgeConfig.LagThresholds thresholds) {
        if (thresholds.downEnabled() && oldestAgeMillis > thresholds.downMillis()) {
            return DOWN;
        }
        return oldestAgeMillis > thresholds.degradedMillis() ? DEGRADED : UP;
    }
}
