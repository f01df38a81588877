package io.pulsehub.extension.session;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.annotations.NotNull;

/** Connected devices and revocations, in HiveMQ's metric registry. */
public final class SessionMetrics {

    static final String PREFIX = "io.pulsehub.extension.devices.";
    private static final String CONNECTED = PREFIX + "connected";

    final @NotNull Counter revoked;

    SessionMetrics(final @NotNull MetricRegistry registry, final @NotNull ConnectedDevices devices) {
        this.revoked = registry.counter(PREFIX + "revoked");
        // Replaced rather than reused, so a restarted extension does not report its old table.
        registry.remove(CONNECTED);
        registry.gauge(CONNECTED, () -> (Gauge<Integer>) devices::count);
    }

    /**
     * Devices connected to this node, read from the registry: the table itself belongs to the session wiring, and
     * the gauge always shows the running extension's one. 0 while no extension runs.
     */
    public static int connectedDevices(final @NotNull MetricRegistry registry) {
        final Metric gauge = registry.getMetrics().get(CONNECTED);
        return gauge instanceof Gauge<?> connected && connected.getValue() instanceof Number count
                ? count.intValue() : 0;
    }
}
