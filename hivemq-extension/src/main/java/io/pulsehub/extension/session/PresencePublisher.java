package io.pulsehub.extension.session;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.pulsehub.contract.Presence;
import io.pulsehub.contract.Topics;
import io.pulsehub.extension.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Publishes {@code devices/{id}/presence}, retained with QoS 1, so that an app subscribing at any time learns
 * whether the device is connected. Never blocks: HiveMQ queues the publish.
 */
final class PresencePublisher {

    private static final Logger log = LoggerFactory.getLogger(PresencePublisher.class);

    private final @NotNull PublishService publishService;

    PresencePublisher(final @NotNull PublishService publishService) {
        this.publishService = publishService;
    }

    void online(final @NotNull String deviceId) {
        publish(deviceId, Presence.ONLINE);
    }

    void offline(final @NotNull String deviceId) {
        publish(deviceId, Presence.OFFLINE);
    }

    private void publish(final @NotNull String deviceId, final @NotNull String state) {
        try {
            publishService.publish(Builders.publish()
                            .topic(Topics.presence(deviceId))
                            .payload(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)))
                            .qos(Qos.AT_LEAST_ONCE)
                            .retain(true)
                            .build())
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            log.warn("presence '{}' of device '{}' not published: {}", state,
                                    LogSafe.text(deviceId), failure.toString());
                        }
                    });
        } catch (final RuntimeException e) {
            log.warn("presence '{}' of device '{}' not published: {}", state, LogSafe.text(deviceId), e.toString());
        }
    }
}
