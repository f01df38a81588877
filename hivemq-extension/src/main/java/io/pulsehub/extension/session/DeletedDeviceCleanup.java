package io.pulsehub.extension.session;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.services.publish.RetainedMessageStore;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.pulsehub.contract.Topics;
import io.pulsehub.extension.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes what this broker node still holds about a deleted device: every client's subscriptions to its topics and
 * its retained messages (presence, aggregates, alerts). Subscriptions are authorized once, when they are made; without
 * this, an app would keep receiving a device id's messages after the device was deleted, also once the id is
 * provisioned again to another owner. Asynchronous; failures are logged.
 */
final class DeletedDeviceCleanup {

    private static final Logger log = LoggerFactory.getLogger(DeletedDeviceCleanup.class);
    private static final Set<String> DEVICE_TREES = Set.of(Topics.DEVICES, Topics.AGGREGATES, Topics.ALERTS);

    private final @NotNull SubscriptionStore subscriptions;
    private final @NotNull RetainedMessageStore retained;

    DeletedDeviceCleanup(final @NotNull SubscriptionStore subscriptions, final @NotNull RetainedMessageStore retained) {
        this.subscriptions = subscriptions;
        this.retained = retained;
    }

    /** Whether a topic or filter names the device in its second level, under devices/, aggregates/ or alerts/. */
    static boolean concerns(final @NotNull String topicOrFilter, final @NotNull String deviceId) {
        final String[] levels = topicOrFilter.split("/", 3);
        return levels.length >= 2 && DEVICE_TREES.contains(levels[0]) && levels[1].equals(deviceId);
    }

    void clean(final @NotNull String deviceId) {
        subscriptions.iterateAllSubscriptions((context, client) -> {
            final Set<String> filters = client.getSubscriptions().stream()
                    .map(TopicSubscription::getTopicFilter)
                    .filter(filter -> concerns(filter, deviceId))
                    .collect(Collectors.toSet());
            if (!filters.isEmpty()) {
                log.info("removing {} subscriptions of client '{}' to deleted device '{}'", filters.size(),
                        LogSafe.text(client.getClientId()), deviceId);
                subscriptions.removeSubscriptions(client.getClientId(), filters).whenComplete((ignored, e) -> {
                    if (e != null) {
                        log.warn("subscriptions of client '{}' to deleted device '{}' not removed: {}",
                                LogSafe.text(client.getClientId()), deviceId, e.toString());
                    }
                });
            }
        }).whenComplete((ignored, e) -> {
            if (e != null) {
                log.warn("subscriptions to deleted device '{}' not cleaned up: {}", deviceId, e.toString());
            }
        });
        retained.iterateAllRetainedMessages((context, message) -> {
            if (concerns(message.getTopic(), deviceId)) {
                retained.remove(message.getTopic());
            }
        }).whenComplete((ignored, e) -> {
            if (e != null) {
                log.warn("retained messages of deleted device '{}' not cleaned up: {}", deviceId, e.toString());
            }
        });
    }
}
