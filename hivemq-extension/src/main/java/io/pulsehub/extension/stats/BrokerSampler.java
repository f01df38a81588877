package io.pulsehub.extension.stats;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.BrokerStats;
import io.pulsehub.extension.auth.AuthMetrics;
import io.pulsehub.extension.ingest.IngestMetrics;
import io.pulsehub.extension.session.SessionMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongSupplier;

/**
 * Takes one sample of this node's numbers from HiveMQ's metric registry, where HiveMQ and the extension count them.
 * Reading the counters costs nothing on the paths that update them.
 */
final class BrokerSampler {

    /** HiveMQ's own gauge of open MQTT connections (HiveMQMetrics.CONNECTIONS_OVERALL_CURRENT in HiveMQ CE). */
    static final String CONNECTIONS_GAUGE = "com.hivemq.networking.connections.current";

    private static final Logger log = LoggerFactory.getLogger(BrokerSampler.class);

    private final @NotNull String node;
    private final @NotNull MetricRegistry registry;
    private final @NotNull AuthMetrics auth;
    private final @NotNull IngestMetrics ingest;
    private final @NotNull LongSupplier clock;
    private boolean warnedNoConnectionsGauge;

    BrokerSampler(final @NotNull String node, final @NotNull MetricRegistry registry, final @NotNull AuthMetrics auth,
                  final @NotNull IngestMetrics ingest, final @NotNull LongSupplier clock) {
        this.node = node;
        this.registry = registry;
        this.auth = auth;
        this.ingest = ingest;
        this.clock = clock;
    }

    /** Called by the reporter's thread only. */
    @NotNull BrokerStats sample() {
        return new BrokerStats(node, clock.getAsLong(), connectedClients(),
                SessionMetrics.connectedDevices(registry), auth.succeededCount(),
                // A blocked address is a client failing to log in as much as a wrong password is.
                auth.failedCount() + auth.blockedCount(), ingest.storedCount(), ingest.refusedCount());
    }

    private long connectedClients() {
        final Metric metric = registry.getMetrics().get(CONNECTIONS_GAUGE);
        if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number connections) {
            return Math.max(0, connections.longValue());
        }
        // Only a HiveMQ version that renamed its gauge gets here: say so once instead of reporting 0 in silence.
        if (!warnedNoConnectionsGauge) {
            warnedNoConnectionsGauge = true;
            log.warn("HiveMQ's metric {} is missing; connected_clients is reported as 0", CONNECTIONS_GAUGE);
        }
        return 0;
    }
}
