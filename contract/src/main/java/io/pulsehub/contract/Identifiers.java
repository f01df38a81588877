package io.pulsehub.contract;

import java.util.Map;

/**
 * The identifier rules of the contract. Everything that enters the hub (provisioning, login, ingest) is checked here
 * so that an id or name can never carry a topic separator, a wildcard or an InfluxDB line-protocol metacharacter.
 */
public final class Identifiers {

    /** Longest device id, owner id, metric name and command name. */
    private static final int MAX_LENGTH = 64;

    /** The reading member that carries the reading's time; never a metric. */
    public static final String TIMESTAMP_MEMBER = "ts";

    /**
     * Names the store cannot take as metrics, with why. In the {@code telemetry} measurement every metric is a field
     * next to the {@code device} tag: InfluxDB refuses a field called {@code time}, so a reading with it could be
     * acknowledged but never stored, and a field called {@code device} shadows the tag in every
     * {@code WHERE device = '…'} query, hiding every device's readings from dashboards and aggregates.
     */
    public static final Map<String, String> RESERVED_METRIC_NAMES = Map.of(
            TIMESTAMP_MEMBER, "the reading's time",
            "time", "InfluxDB's time column",
            "device", "the device tag");

    private Identifiers() {
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,63}} */
    public static boolean isDeviceId(final String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || !isAsciiLetterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            final char c = id.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '_' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Owners (the {@code sub} of an app token) follow the device id rule: they end up in topics and tags too. */
    public static boolean isOwnerId(final String id) {
        return isDeviceId(id);
    }

    /**
     * {@code [A-Za-z][A-Za-z0-9_]{0,63}} and not {@link #RESERVED_METRIC_NAMES reserved}. Checked for every metric of
     * every reading, by the broker and again by the bridge, hence a loop rather than a regular expression.
     */
    public static boolean isMetricName(final String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || !isAsciiLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '_') {
                return false;
            }
        }
        return !RESERVED_METRIC_NAMES.containsKey(name);
    }

    /**
     * The last level of {@code devices/{id}/commands/{name}}: one topic level, no wildcard, no separator;
     * {@code [A-Za-z0-9_-]{1,64}}.
     */
    public static boolean isCommandName(final String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(final char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isAsciiLetterOrDigit(final char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9');
    }

    /** Why {@code name} is not a command name, or {@code null} when it is one. */
    public static String commandNameProblem(final String name) {
        if (name == null || name.isEmpty()) {
            return "command name is missing";
        }
        return isCommandName(name) ? null : "command name must match [A-Za-z0-9_-]{1,64}";
    }

    /** Why {@code id} is not a device id, or {@code null} when it is one. */
    public static String deviceIdProblem(final String id) {
        if (id == null || id.isEmpty()) {
            return "device id is missing";
        }
        if (id.length() > 64) {
            return "device id is longer than 64 characters";
        }
        return isDeviceId(id) ? null : "device id must match [A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
    }

    /** Why {@code id} is not an owner id, or {@code null} when it is one. */
    public static String ownerIdProblem(final String id) {
        if (id == null || id.isEmpty()) {
            return "owner is missing";
        }
        return isOwnerId(id) ? null : "owner must match [A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
    }
}
