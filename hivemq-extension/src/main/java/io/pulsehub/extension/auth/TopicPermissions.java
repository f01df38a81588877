package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.Identifiers;
import io.pulsehub.contract.Topics;

import java.util.Set;

/**
 * The topic rules of the contract, free of I/O. Anything not explicitly allowed is denied. Wildcard filters that
 * could reach another owner's devices are refused as a whole, never silently narrowed: a client must learn that
 * its subscription does not do what it asked for.
 */
public final class TopicPermissions {

    private static final String SINGLE = "+";
    private static final String MULTI = "#";
    private static final Set<String> APP_DEVICE_TOPICS = Set.of(Topics.TELEMETRY, Topics.PRESENCE);
    private static final Set<String> APP_DEVICE_TREES = Set.of(Topics.AGGREGATES, Topics.ALERTS);

    private TopicPermissions() {
    }

    /** Whether this is a device publishing its own telemetry: the one publish the hub stores. */
    public static boolean isOwnTelemetry(final @NotNull Identity who, final @NotNull String topic) {
        return who.role() == Role.DEVICE && Topics.isTelemetryOf(topic, who.subject());
    }

    public static @NotNull Verdict publish(final @NotNull Identity who, final @NotNull String topic) {
        if (topic.startsWith("$")) {
            return Verdict.deny("topics starting with '$' are reserved");
        }
        // Every reading passes here: a device's case is decided without splitting the topic.
        return switch (who.role()) {
            case DEVICE -> isOwnTelemetry(who, topic)
                    ? Verdict.allow()
                    : Verdict.deny("a device may publish only to " + Topics.telemetry(who.subject()));
            case APP -> appPublication(topic.split("/", -1));
            case SERVICE -> isServicePublication(topic.split("/", -1))
                    ? Verdict.allow()
                    : Verdict.deny("the service may publish only to aggregates/{id}/..., alerts/{id}/... "
                    + "and devices/{id}/commands/{name}");
        };
    }

    private static @NotNull Verdict appPublication(final @NotNull String[] levels) {
        return isCommand(levels)
                ? Verdict.ifOwnerOf(levels[1])
                : Verdict.deny("an app may publish only to devices/{id}/commands/{name} of its own devices");
    }

    public static @NotNull Verdict subscribe(final @NotNull Identity who, final @NotNull String filter) {
        if (filter.startsWith("$")) {
            return Verdict.deny("shared subscriptions and topics starting with '$' are not available");
        }
        final String[] levels = filter.split("/", -1);
        if (!isWellFormedFilter(levels)) {
            return Verdict.deny("malformed topic filter");
        }
        return switch (who.role()) {
            case DEVICE -> isInsideOwnCommands(who.subject(), levels)
                    ? Verdict.allow()
                    : Verdict.deny("a device may subscribe only to " + Topics.commandsFilter(who.subject()));
            case APP -> appSubscription(levels);
            case SERVICE -> Verdict.deny("the service subscribes to nothing");
        };
    }

    private static @NotNull Verdict appSubscription(final @NotNull String[] levels) {
        if (isWildcard(levels[0]) || (levels.length > 1 && isWildcard(levels[1]))) {
            return Verdict.deny("a wildcard in place of the device id would reach devices of other owners");
        }
        final boolean deviceTopic = levels.length == 3 && Topics.DEVICES.equals(levels[0])
                && APP_DEVICE_TOPICS.contains(levels[2]);
        final boolean deviceTree = levels.length >= 2 && APP_DEVICE_TREES.contains(levels[0]);
        if ((deviceTopic || deviceTree) && Identifiers.isDeviceId(levels[1])) {
            return Verdict.ifOwnerOf(levels[1]);
        }
        return Verdict.deny("an app may subscribe only to devices/{id}/telemetry, devices/{id}/presence, "
                + "aggregates/{id}/# and alerts/{id}/# of its own devices");
    }

    private static boolean isCommand(final @NotNull String[] levels) {
        return levels.length == 4 && Topics.DEVICES.equals(levels[0]) && Identifiers.isDeviceId(levels[1])
                && Topics.COMMANDS.equals(levels[2]) && !levels[3].isEmpty();
    }

    /**
     * Aggregates and alerts (nobody else may publish them, so apps can trust them) and commands on behalf of a
     * backend ({@code POST /api/devices/{id}/commands/{name}}). Presence is the broker's own: not even the service
     * may forge it.
     */
    private static boolean isServicePublication(final @NotNull String[] levels) {
        if (APP_DEVICE_TREES.contains(levels[0])) {
            return levels.length >= 2 && Identifiers.isDeviceId(levels[1]);
        }
        return isCommand(levels);
    }

    /** devices/{id}/commands/# itself or any filter below it; the first three levels must be literal. */
    private static boolean isInsideOwnCommands(final @NotNull String deviceId, final @NotNull String[] levels) {
        return levels.length >= 4 && Topics.DEVICES.equals(levels[0]) && deviceId.equals(levels[1])
                && Topics.COMMANDS.equals(levels[2]);
    }

    /** HiveMQ rejects malformed filters itself; this keeps the rules sound if it ever did not. */
    private static boolean isWellFormedFilter(final @NotNull String[] levels) {
        for (int i = 0; i < levels.length; i++) {
            final String level = levels[i];
            if (level.contains(MULTI) && (!level.equals(MULTI) || i != levels.length - 1)) {
                return false;
            }
            if (level.contains(SINGLE) && !level.equals(SINGLE)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWildcard(final @NotNull String level) {
        return SINGLE.equals(level) || MULTI.equals(level);
    }
}
