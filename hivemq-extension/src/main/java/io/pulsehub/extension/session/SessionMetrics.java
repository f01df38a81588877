package io.pulsehub.extension.session;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.annotations.NotNull;

/** Connected devices and revocations, in HiveMQ's metric registry. */
final class SessionMetrics {

    static final String PREFIX = "io.pulsehub.extension.devices.";

    final @NotNull Counter revoked;

    SessionMetrics(final @NotNull MetricRegistry registry, final @NotNull ConnectedDevices devices) {
        this.revoked = registry.counter(PREFIX + "revoked");
        // Replaced rather than reused, so a restarted extension does not report its old table.
        registry.remove(PREFIX + "connected");
        registry.gauge(PREFIX + "connected", () -> (Gauge<Integer>) devices::count);
    }
}
