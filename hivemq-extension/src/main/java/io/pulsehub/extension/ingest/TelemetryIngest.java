package io.pulsehub.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.services.intializer.InitializerRegistry;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.pulsehub.contract.BrokerClock;
import io.pulsehub.extension.config.Limits;
import io.pulsehub.extension.stream.BacklogMonitor;
import io.pulsehub.extension.stream.TelemetryStreamWriter;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Puts a telemetry interceptor of its own on every client connection (it keeps the connection's identity). */
public final class TelemetryIngest {

    /** Full buckets are forgotten this often, so devices that went quiet cost no memory. */
    private static final Duration RATE_SWEEP = Duration.ofMinutes(1);

    private final @NotNull ScheduledFuture<?> sweeper;

    private TelemetryIngest(final @NotNull ScheduledFuture<?> sweeper) {
        this.sweeper = sweeper;
    }

    /**
     * @param ackTimeout how long HiveMQ holds a publish for the writer before it refuses it
     * @param scheduler  sweeps the per-device rate limiter
     */
    public static @NotNull TelemetryIngest install(final @NotNull InitializerRegistry registry,
                                                   final @NotNull TelemetryStreamWriter writer,
                                                   final @NotNull Duration ackTimeout,
                                                   final @NotNull IngestMetrics metrics, final @NotNull Limits limits,
                                                   final @NotNull BacklogMonitor backlog,
                                                   final @NotNull ClientService clients,
                                                   final @NotNull ScheduledExecutorService scheduler) {
        final DeviceRateLimiter rateLimiter = new DeviceRateLimiter(limits.devicePublishRate(),
                limits.devicePublishBurst(), System::nanoTime);
        // One clock for all clients: broker times must be distinct across the whole hub, not per connection.
        final TelemetryInterceptor interceptor = new TelemetryInterceptor(writer, new BrokerClock(), ackTimeout,
                metrics, limits, rateLimiter, backlog, clients);
        registry.setClientInitializer(
                (input, client) -> client.addPublishInboundInterceptor(interceptor.forConnection()));
        return new TelemetryIngest(scheduler.scheduleWithFixedDelay(rateLimiter::sweep, RATE_SWEEP.toMillis(),
                RATE_SWEEP.toMillis(), TimeUnit.MILLISECONDS));
    }

    public void stop() {
        sweeper.cancel(false);
    }
}
