package io.pulsehub.contract;

import java.util.Optional;

/** Topic names of the contract, built and parsed in one place. */
public final class Topics {

    public static final String DEVICES = "devices";
    public static final String AGGREGATES = "aggregates";
    public static final String ALERTS = "alerts";
    public static final String TELEMETRY = "telemetry";
    public static final String COMMANDS = "commands";
    public static final String PRESENCE = "presence";

    private Topics() {
    }

    public static String telemetry(final String deviceId) {
        return DEVICES + "/" + deviceId + "/" + TELEMETRY;
    }

    /** Whether the topic is {@link #telemetry(String) deviceId's telemetry topic}; builds no string (hot path). */
    public static boolean isTelemetryOf(final String topic, final String deviceId) {
        final int idStart = DEVICES.length() + 1;
        final int idEnd = idStart + deviceId.length();
        return topic.length() == idEnd + 1 + TELEMETRY.length()
                && topic.startsWith(DEVICES) && topic.charAt(DEVICES.length()) == '/'
                && topic.startsWith(deviceId, idStart) && topic.charAt(idEnd) == '/'
                && topic.startsWith(TELEMETRY, idEnd + 1);
    }

    public static String presence(final String deviceId) {
        return DEVICES + "/" + deviceId + "/" + PRESENCE;
    }

    public static String command(final String deviceId, final String name) {
        return DEVICES + "/" + deviceId + "/" + COMMANDS + "/" + name;
    }

    /** The filter a device subscribes to for its commands. */
    public static String commandsFilter(final String deviceId) {
        return DEVICES + "/" + deviceId + "/" + COMMANDS + "/#";
    }

    public static String aggregate(final String deviceId, final String window) {
        return AGGREGATES + "/" + deviceId + "/" + window;
    }

    public static String aggregatesFilter(final String deviceId) {
        return AGGREGATES + "/" + deviceId + "/#";
    }

    /** The device whose telemetry topic this is, or empty when it is no telemetry topic of a valid device id. */
    public static Optional<String> deviceOfTelemetry(final String topic) {
        final String[] levels = topic.split("/", -1);
        if (levels.length == 3 && DEVICES.equals(levels[0]) && TELEMETRY.equals(levels[2])
                && Identifiers.isDeviceId(levels[1])) {
            return Optional.of(levels[1]);
        }
        return Optional.empty();
    }
}
