package io.pulsehub.contract;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One broker node's numbers as it leaves them in Redis for the bridges, which write them to InfluxDB (measurement
 * {@code pulsehub_broker}): the extension talks to Redis only, and InfluxDB keeps a single writer.
 *
 * <p>Layout: the hash {@link #key pulsehub:broker:{node}} holds the latest sample, expiring {@link #expiry a few
 * report intervals} after it was written, so a dead node's numbers vanish by themselves; the sorted set
 * {@link #NODES pulsehub:brokers} has each node scored with its last sample time (ms), so readers find the nodes
 * without SCAN. Counters are cumulative since the broker node started (they restart at 0 with it); the rest are
 * gauges at the sample time.
 *
 * @param node                  the broker node, {@link #isNodeName [A-Za-z0-9_.:-]{1,128}}
 * @param sampledAtMillis       when the node took the sample, epoch ms
 * @param connectedClients      every MQTT connection of the node: devices, apps, bridges
 * @param connectedDevices      devices logged in on the node
 * @param authSucceededTotal    logins accepted
 * @param authFailedTotal       logins refused for the client's own reasons, blocked ones included
 * @param publishesStoredTotal  telemetry publishes stored in a stream
 * @param publishesRefusedTotal telemetry publishes refused (invalid, too large, rate-limited, backlog full, busy,
 *                              Redis failure)
 */
public record BrokerStats(String node, long sampledAtMillis, long connectedClients, long connectedDevices,
                          long authSucceededTotal, long authFailedTotal, long publishesStoredTotal,
                          long publishesRefusedTotal) {

    public static final String KEY_PREFIX = "pulsehub:broker:";
    public static final String NODES = "pulsehub:brokers";

    public static final String SAMPLED_AT_MS = "sampled_at_ms";
    public static final String CONNECTED_CLIENTS = "connected_clients";
    public static final String CONNECTED_DEVICES = "connected_devices";
    public static final String AUTH_SUCCEEDED_TOTAL = "auth_succeeded_total";
    public static final String AUTH_FAILED_TOTAL = "auth_failed_total";
    public static final String PUBLISHES_STORED_TOTAL = "publishes_stored_total";
    public static final String PUBLISHES_REFUSED_TOTAL = "publishes_refused_total";
    /** Every field of the hash, in the order of the record. */
    public static final List<String> FIELDS = List.of(SAMPLED_AT_MS, CONNECTED_CLIENTS, CONNECTED_DEVICES,
            AUTH_SUCCEEDED_TOTAL, AUTH_FAILED_TOTAL, PUBLISHES_STORED_TOTAL, PUBLISHES_REFUSED_TOTAL);

    /** Reports a node may miss (a long GC pause, a Redis hiccup) before its numbers expire. */
    public static final int REPORTS_BEFORE_EXPIRY = 3;
    /** The longest report interval a broker may use; readers rely on it to tell forgotten nodes. */
    public static final Duration MAX_INTERVAL = Duration.ofMinutes(1);
    /**
     * Nodes in {@link #NODES} not heard of for this long are gone for good (their hash expired long before): any
     * reader may remove them. Generous, so that clocks of broker and bridge that disagree a little do no harm.
     */
    public static final Duration FORGET_AFTER = MAX_INTERVAL.multipliedBy(REPORTS_BEFORE_EXPIRY + 2L);

    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    /** @throws IllegalArgumentException for an invalid node name or a negative number */
    public BrokerStats {
        if (!isNodeName(node)) {
            throw new IllegalArgumentException("broker node name must match [A-Za-z0-9_.:-]{1,128}");
        }
        final long[] values = {sampledAtMillis, connectedClients, connectedDevices, authSucceededTotal,
                authFailedTotal, publishesStoredTotal, publishesRefusedTotal};
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException("broker stats field " + FIELDS.get(i) + " is negative: "
                        + values[i]);
            }
        }
    }

    /** Node names are the same charset as the bridge's consumer names: safe in a Redis key and an InfluxDB tag. */
    public static boolean isNodeName(final String node) {
        return node != null && NODE_NAME.matcher(node).matches();
    }

    /** The hash of one node's latest sample. */
    public static String key(final String node) {
        if (!isNodeName(node)) {
            throw new IllegalArgumentException("broker node name must match [A-Za-z0-9_.:-]{1,128}");
        }
        return KEY_PREFIX + node;
    }

    /** How long a sample stays in Redis when the node reports every {@code interval}. */
    public static Duration expiry(final Duration interval) {
        if (interval.isNegative() || interval.isZero() || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("broker stats interval must be positive and at most " + MAX_INTERVAL
                    + ", was " + interval);
        }
        return interval.multipliedBy(REPORTS_BEFORE_EXPIRY);
    }

    /** The numbers by field name, in {@link #FIELDS} order. */
    public Map<String, Long> values() {
        final Map<String, Long> values = new LinkedHashMap<>();
        values.put(SAMPLED_AT_MS, sampledAtMillis);
        values.put(CONNECTED_CLIENTS, connectedClients);
        values.put(CONNECTED_DEVICES, connectedDevices);
        values.put(AUTH_SUCCEEDED_TOTAL, authSucceededTotal);
        values.put(AUTH_FAILED_TOTAL, authFailedTotal);
        values.put(PUBLISHES_STORED_TOTAL, publishesStoredTotal);
        values.put(PUBLISHES_REFUSED_TOTAL, publishesRefusedTotal);
        return Collections.unmodifiableMap(values);
    }

    /** The hash fields (decimal text), for HSET. */
    public Map<String, String> toFields() {
        final Map<String, String> fields = new LinkedHashMap<>();
        values().forEach((name, value) -> fields.put(name, Long.toString(value)));
        return fields;
    }

    /**
     * @param node   the node whose hash this is
     * @param fields the hash as HGETALL returns it; fields the hub does not know are ignored, so a newer broker may
     *               add some without breaking older readers
     * @throws IllegalArgumentException when a field is missing or not a non-negative whole number (a hash not
     *                                  written by the hub), naming the field but never quoting its value
     */
    public static BrokerStats fromFields(final String node, final Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("broker stats of node '" + (isNodeName(node) ? node : "?")
                    + "' are empty (expired or never written)");
        }
        final long[] values = new long[FIELDS.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(fields, FIELDS.get(i));
        }
        return new BrokerStats(node, values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }

    private static long number(final Map<String, String> fields, final String name) {
        final String text = fields.get(name);
        if (text == null) {
            throw new IllegalArgumentException("broker stats lack the field " + name);
        }
        try {
            final long value = Long.parseLong(text);
            if (value < 0) {
                throw new IllegalArgumentException("broker stats field " + name + " is negative");
            }
            return value;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("broker stats field " + name + " is not a whole number");
        }
    }
}
