package io.pulsehub.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.services.intializer.InitializerRegistry;
import io.pulsehub.contract.BrokerClock;
import io.pulsehub.extension.stream.TelemetryStreamWriter;

import java.time.Duration;

/** Puts the telemetry interceptor on every client connection. */
public final class TelemetryIngest {

    private TelemetryIngest() {
    }

    /** @param ackTimeout how long HiveMQ holds a publish for the writer before it refuses it */
    public static void install(final @NotNull InitializerRegistry registry,
                               final @NotNull TelemetryStreamWriter writer, final @NotNull Duration ackTimeout,
                               final @NotNull IngestMetrics metrics) {
        // One clock for all clients: broker times must be distinct across the whole hub, not per connection.
        final TelemetryInterceptor interceptor = new TelemetryInterceptor(writer, new BrokerClock(), ackTimeout,
                metrics);
        registry.setClientInitializer((input, client) -> client.addPublishInboundInterceptor(interceptor));
    }
}
