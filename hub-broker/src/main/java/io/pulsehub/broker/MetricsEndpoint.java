package io.pulsehub.broker;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.HTTPServer;

import java.io.IOException;

/**
 * HiveMQ's whole metric registry, the extension's metrics included, in Prometheus text format at
 * {@code http://HUB_BIND:HUB_BROKER_METRICS_PORT/metrics}. Dropwizard names come out sanitised: dots and dashes
 * become underscores.
 */
final class MetricsEndpoint implements AutoCloseable {

    static final String PATH = "/metrics";

    private final HTTPServer server;

    private MetricsEndpoint(final HTTPServer server) {
        this.server = server;
    }

    static MetricsEndpoint start(final String bind, final int port, final MetricRegistry metrics) {
        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(new DropwizardExports(metrics));
        try {
            return new MetricsEndpoint(new HTTPServer.Builder()
                    .withHostname(bind)
                    .withPort(port)
                    .withRegistry(registry)
                    .withDaemonThreads(true)
                    .build());
        } catch (final IOException e) {
            throw new BrokerStartupException("cannot serve metrics on " + bind + ":" + port + " ("
                    + BrokerSettings.METRICS_PORT_ENV + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
