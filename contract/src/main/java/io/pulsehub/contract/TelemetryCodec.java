package io.pulsehub.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the telemetry payload of the contract: one reading object or an array of them. The extension decodes every
 * publish before it is stored, so whatever sits in a stream entry decodes again, identically, in the bridge.
 */
public final class TelemetryCodec {

    /** Readings one publish may carry; also bounds the broker-time offsets (see {@link BrokerClock#STEP_NANOS}). */
    public static final int MAX_READINGS_PER_PAYLOAD = 1000;

    /** 2000-01-01T00:00:00Z: anything earlier is almost surely seconds sent as milliseconds. */
    static final long EARLIEST_TS_MILLIS = 946_684_800_000L;
    /** Device clocks drift, but a reading from more than a day ahead is a bug, not a clock. */
    static final long MAX_FUTURE_MILLIS = 24L * 60 * 60 * 1000;

    // Duplicate members are found by readReading itself: Jackson's strict detection keeps a second set of names per
    // object, and this runs for every publish. The fast double parser rounds exactly as Double.parseDouble does
    // (TelemetryCodecTest compares them); every metric value is parsed twice, in the broker and in the bridge, and
    // the parsing fell from 3.6 % to under 1 % of the bridge's profile samples.
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private TelemetryCodec() {
    }

    /**
     * @param payload         the publish payload
     * @param brokerTimeNanos when the broker received it (from {@link BrokerClock}); the time of readings without
     *                        {@code ts}, plus their index in the payload
     * @return the readings, at least one
     * @throws InvalidTelemetryException with the reason to give the device
     */
    public static List<Reading> decode(final byte[] payload, final long brokerTimeNanos)
            throws InvalidTelemetryException {
        final List<Reading> readings = new ArrayList<>(1);
        parse(payload, brokerTimeNanos, (timeNanos, metrics) -> readings.add(metrics.toReading(timeNanos)));
        return Collections.unmodifiableList(readings);
    }

    /**
     * Checks the payload exactly as {@link #decode} does, without building the readings: the broker validates every
     * publish but stores the payload as it came.
     *
     * @return how many readings the payload holds, at least one
     * @throws InvalidTelemetryException with the reason {@link #decode} would give
     */
    public static int validate(final byte[] payload, final long brokerTimeNanos) throws InvalidTelemetryException {
        final int[] readings = {0};
        parse(payload, brokerTimeNanos, (timeNanos, metrics) -> readings[0]++);
        return readings[0];
    }

    /** Told each reading once it is complete: its time is known only at the end of its object. */
    private interface ReadingSink {
        void accept(long timeNanos, Metrics metrics);
    }

    private static void parse(final byte[] payload, final long brokerTimeNanos, final ReadingSink sink)
            throws InvalidTelemetryException {
        if (payload == null || payload.length == 0) {
            throw new InvalidTelemetryException("payload is empty; expected a JSON reading or an array of readings");
        }
        final long brokerMillis = Math.floorDiv(brokerTimeNanos, 1_000_000L);
        final Metrics metrics = new Metrics();
        try (JsonParser parser = JSON.createParser(payload)) {
            final JsonToken root = parser.nextToken();
            if (root == JsonToken.START_OBJECT) {
                sink.accept(readReading(parser, brokerTimeNanos, brokerMillis, metrics), metrics);
            } else if (root == JsonToken.START_ARRAY) {
                readArray(parser, brokerTimeNanos, brokerMillis, metrics, sink);
            } else {
                throw new InvalidTelemetryException("payload must be a JSON object (one reading) or an array of readings");
            }
            if (parser.nextToken() != null) {
                throw new InvalidTelemetryException("unexpected content after the end of the reading");
            }
        } catch (final InvalidTelemetryException e) {
            throw e;
        } catch (final JsonParseException e) {
            throw new InvalidTelemetryException("payload is not valid JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new InvalidTelemetryException("payload is not valid JSON: " + e.getMessage());
        }
    }

    private static void readArray(final JsonParser parser, final long brokerTimeNanos, final long brokerMillis,
                                  final Metrics metrics, final ReadingSink sink)
            throws IOException, InvalidTelemetryException {
        int count = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw new InvalidTelemetryException("array element " + count + " is not a reading object");
            }
            if (count == MAX_READINGS_PER_PAYLOAD) {
                throw new InvalidTelemetryException(
                        "too many readings in one payload; at most " + MAX_READINGS_PER_PAYLOAD);
            }
            sink.accept(readReading(parser, brokerTimeNanos + count, brokerMillis, metrics), metrics);
            count++;
        }
        if (count == 0) {
            throw new InvalidTelemetryException("array of readings is empty");
        }
    }

    /** Reads one reading object into {@code metrics} (cleared first) and returns its time. */
    private static long readReading(final JsonParser parser, final long defaultTimeNanos, final long brokerMillis,
                                    final Metrics metrics) throws IOException, InvalidTelemetryException {
        metrics.clear();
        long timeNanos = defaultTimeNanos;
        boolean timed = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String name = parser.currentName();
            final JsonToken value = parser.nextToken();
            if (Identifiers.TIMESTAMP_MEMBER.equals(name)) {
                if (timed) {
                    throw duplicate(name);
                }
                timed = true;
                timeNanos = readTimestamp(parser, value, brokerMillis) * 1_000_000L;
            } else if (Identifiers.RESERVED_METRIC_NAMES.containsKey(name)) {
                throw new InvalidTelemetryException("metric name '" + name + "' is reserved ("
                        + Identifiers.RESERVED_METRIC_NAMES.get(name) + ")");
            } else if (!Identifiers.isMetricName(name)) {
                throw new InvalidTelemetryException("metric name '" + printable(name)
                        + "' is invalid; names match [A-Za-z][A-Za-z0-9_]{0,63}");
            } else if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                final double number = parser.getDoubleValue();
                if (!Double.isFinite(number)) {
                    throw new InvalidTelemetryException("metric '" + name + "' is out of range");
                }
                if (!metrics.add(name, number)) {
                    throw duplicate(name);
                }
            } else {
                throw new InvalidTelemetryException("metric '" + name + "' must be a number, not " + describe(value));
            }
        }
        if (metrics.isEmpty()) {
            throw new InvalidTelemetryException("a reading needs at least one numeric metric");
        }
        return timeNanos;
    }

    /**
     * The metrics of the reading being read, reused from one reading to the next so that validating a payload
     * allocates next to nothing. Readings have a handful of metrics, so a duplicate is found by a scan; a set takes
     * over for the rare large reading, where a scan per metric would be quadratic.
     */
    private static final class Metrics {

        private static final int SCAN_LIMIT = 16;

        private final List<String> names = new ArrayList<>();
        private double[] values = new double[8];
        private Set<String> seen;

        void clear() {
            names.clear();
            seen = null;
        }

        boolean isEmpty() {
            return names.isEmpty();
        }

        /** @return false when the reading has a metric of that name already */
        boolean add(final String name, final double value) {
            if (contains(name)) {
                return false;
            }
            if (names.size() == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[names.size()] = value;
            names.add(name);
            if (seen != null) {
                seen.add(name);
            }
            return true;
        }

        private boolean contains(final String name) {
            if (seen == null && names.size() >= SCAN_LIMIT) {
                seen = new HashSet<>(names);
            }
            return seen != null ? seen.contains(name) : names.contains(name);
        }

        Reading toReading(final long timeNanos) {
            return new Reading(timeNanos, new MetricValues(names.toArray(new String[0]),
                    Arrays.copyOf(values, names.size())));
        }
    }

    private static InvalidTelemetryException duplicate(final String name) {
        return new InvalidTelemetryException("member '" + name + "' appears more than once in a reading");
    }

    private static long readTimestamp(final JsonParser parser, final JsonToken value, final long brokerMillis)
            throws IOException, InvalidTelemetryException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidTelemetryException("ts must be an integer (epoch milliseconds), not " + describe(value));
        }
        final long ts;
        try {
            ts = parser.getLongValue();
        } catch (final InputCoercionException e) {
            throw new InvalidTelemetryException("ts is out of range for epoch milliseconds");
        }
        if (ts < EARLIEST_TS_MILLIS || ts > brokerMillis + MAX_FUTURE_MILLIS) {
            throw new InvalidTelemetryException("ts " + ts + " is not plausible epoch milliseconds "
                    + "(before 2000-01-01 or more than a day ahead of the hub's clock)");
        }
        return ts;
    }

    private static String describe(final JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> "a " + token.asString();
        };
    }

    /** Echoes a refused name in a reason string without control characters or unbounded length. */
    static String printable(final String name) {
        final StringBuilder out = new StringBuilder();
        name.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return name.codePointCount(0, name.length()) > 64 ? out + "…" : out.toString();
    }
}
