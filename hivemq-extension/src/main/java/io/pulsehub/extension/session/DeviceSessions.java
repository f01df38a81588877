package io.pulsehub.extension.session;

import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.events.EventRegistry;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.RetainedMessageStore;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import io.pulsehub.extension.auth.DeviceLookup;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** Wires presence and revocation: the lifecycle listener and the revocation subscription. */
public final class DeviceSessions {

    /** HiveMQ's services that presence and revocation act through. */
    public record Broker(@NotNull EventRegistry events, @NotNull PublishService publishing,
                         @NotNull ClientService clients, @NotNull SubscriptionStore subscriptions,
                         @NotNull RetainedMessageStore retained, @NotNull MetricRegistry metrics) {
    }

    private DeviceSessions() {
    }

    /**
     * @param executor  runs revocation checks (registry lookups)
     * @param scheduler watches the revocation subscription
     * @return the running revocation listener, to stop with the extension
     */
    public static @NotNull RevocationListener install(final @NotNull Broker broker,
                                                      final @NotNull DeviceLookup registry,
                                                      final @NotNull URI redisUrl,
                                                      final @NotNull Duration redisTimeout,
                                                      final @NotNull Executor executor,
                                                      final @NotNull ScheduledExecutorService scheduler) {
        final ConnectedDevices devices = new ConnectedDevices();
        final SessionMetrics metrics = new SessionMetrics(broker.metrics(), devices);
        final DeviceLifecycle lifecycle = new DeviceLifecycle(devices, new PresencePublisher(broker.publishing()));
        broker.events().setClientLifecycleEventListener(input -> lifecycle);
        final RevocationHandler handler = new RevocationHandler(devices, registry, broker.clients(),
                new DeletedDeviceCleanup(broker.subscriptions(), broker.retained()), metrics);
        final RevocationListener listener = new RevocationListener(redisUrl, redisTimeout, handler, executor,
                scheduler);
        listener.start();
        return listener;
    }
}
