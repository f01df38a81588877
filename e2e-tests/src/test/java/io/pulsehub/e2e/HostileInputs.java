package io.pulsehub.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

/**
 * Generates the hostile inputs of {@link HostileInputIT}: a fixed catalogue of known-nasty cases and, to make up the
 * numbers, seeded random ones (random bytes, mutations of valid payloads, random strings over an alphabet of
 * metacharacters, control and unicode characters). The same seed always gives the same inputs in the same order.
 */
final class HostileInputs {

    /** A telemetry payload and the QoS it is published with. */
    record Payload(String label, byte[] bytes, int qos) {
    }

    /** A body for {@code POST /api/devices}, sent with or without the admin token. */
    record DeviceRequest(String label, byte[] body, String contentType, boolean authorized) {
    }

    /** Line-protocol metacharacters and friends: every one must stay inside the value it came in. */
    static final List<String> METACHARACTERS = List.of(" ", ",", "=", "\"", "'", "\\", "\n", "\r", "\t", "#", "+",
            "/", "$", ".", "-", ":", ";", "{", "}", "[", "]", "*", "?", "%", "&", "|", "`", "\u0000", "\u0007",
            "\u007f", "\u00a0", "\u200b", "\u202e", "\ufeff", "é", "温", "\uD83D\uDE00");
    /** Words an injected point or tag would carry, so that a successful injection is easy to spot in InfluxDB. */
    static final List<String> INJECTION_MARKERS = List.of("injected", "evil", "pwned");
    static final int MEGABYTE = 1024 * 1024;

    private static final String[] INJECTIONS = {
            "a=1 evil=2",
            "a\ninjected,device=evil value=1",
            "a,device=evil",
            "a value=1\ninjected value=2",
            "x\" OR \"1\"=\"1",
            "x'; DROP MEASUREMENT telemetry; --",
            "a\\ b",
            "a\\,device=pwned",
            "a\r\ninjected v=1 1",
    };

    private final Random random;
    private final long firstTimestamp;
    private long nextTimestamp;

    HostileInputs(final long seed, final long firstTimestamp) {
        this.random = new Random(seed);
        this.firstTimestamp = firstTimestamp;
        this.nextTimestamp = firstTimestamp;
    }

    /** A fresh timestamp (epoch ms): readings that should be stored never share one, so none overwrites another. */
    private long ts() {
        return nextTimestamp++;
    }

    long firstTimestamp() {
        return firstTimestamp;
    }

    // ---------------------------------------------------------------------------------------------- telemetry

    /** The catalogue of hostile telemetry payloads, then random ones until {@code total}. */
    List<Payload> payloads(final int total) {
        final List<Payload> out = new ArrayList<>();
        structure(out);
        numbers(out);
        types(out);
        timestamps(out);
        names(out);
        nesting(out);
        encodings(out);
        sizes(out);
        while (out.size() < total) {
            out.add(randomPayload(out.size()));
        }
        return out;
    }

    private static void add(final List<Payload> out, final String label, final String json) {
        out.add(new Payload(label, json.getBytes(StandardCharsets.UTF_8), 1));
    }

    private void structure(final List<Payload> out) {
        for (final String json : List.of("", " ", "\n", "null", "true", "false", "1", "-1.5", "\"text\"", "[]", "{}",
                "[{}]", "[1]", "[null]", "[[]]", "[{\"a\":1},1]", "{\"a\":1} x", "{\"a\":1}{\"a\":2}",
                "{\"a\":1,}", "{,\"a\":1}", "{\"a\" 1}", "{a:1}", "{'a':1}", "{\"a\":1", "\"a\":1}",
                "{\"a\":1,\"a\":2}", "{\"ts\":1700000000000,\"ts\":1700000000001,\"a\":1}", "{\"ts\":1700000000000}",
                "[{\"a\":1},{}]", "{\"a\":1}\u0000", "/*c*/{\"a\":1}", "{\"a\":1}//c", "{\"a\":[1,2]}")) {
            add(out, "structure " + printable(json), json);
        }
        add(out, "BOM then reading", "\ufeff{\"ts\":" + ts() + ",\"bom\":1}");
        add(out, "QoS 2 reading", "{\"ts\":" + ts() + ",\"qos2\":2}");
        out.set(out.size() - 1, new Payload("QoS 2 reading", out.get(out.size() - 1).bytes(), 2));
        out.add(new Payload("QoS 2 invalid", "{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_8), 2));
    }

    private void numbers(final List<Payload> out) {
        for (final String text : List.of("NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "inf", "\"NaN\"",
                "\"Infinity\"", "\"-Infinity\"", "\"1e309\"", "1e309", "-1e309", "1e999999", "0x10", "+1", ".5", "1.",
                "01", "1e", "--1", "1_000", "1,5", "\"1\"", "\"\"")) {
            add(out, "number " + text, "{\"ts\":" + ts() + ",\"n\":" + text + "}");
        }
        // Extremes that are numbers: they must be stored exactly as float64 holds them.
        for (final String text : List.of("1.7976931348623157e308", "-1.7976931348623157e308", "4.9e-324",
                "-4.9e-324", "2.2250738585072014E-308", "0", "-0", "-0.0", "1e-300", "0.1",
                "123456789012345678901234567890", "9007199254740993", "1e22", "-1", "3.141592653589793238462643",
                "1E+2", "100000000000000000000000000000000000000000000000000")) {
            add(out, "extreme " + text, "{\"ts\":" + ts() + ",\"extreme\":" + text + "}");
        }
    }

    private void types(final List<Payload> out) {
        for (final String value : List.of("true", "false", "null", "[1]", "[]", "{}", "{\"b\":1}", "\"1\"",
                "\"21.5\"", "\"\"")) {
            add(out, "type " + value, "{\"ts\":" + ts() + ",\"a\":" + value + "}");
        }
    }

    private void timestamps(final List<Payload> out) {
        for (final String ts : List.of("\"1700000000000\"", "1700000000000.5", "1.7e12", "-1", "0", "946684799999",
                "9223372036854775807", "9223372036854775808", "99999999999999999999", "true", "null", "[]",
                Long.toString(System.currentTimeMillis() + 2L * 24 * 60 * 60 * 1000), "1700000000")) {
            add(out, "ts " + ts, "{\"ts\":" + ts + ",\"a\":1}");
        }
    }

    private void names(final List<Payload> out) {
        for (final String meta : METACHARACTERS) {
            for (final String name : List.of("a" + meta + "b", meta + "a", "a" + meta)) {
                add(out, "name " + printable(name), "{\"ts\":" + ts() + "," + jsonString(name) + ":1}");
            }
        }
        for (final String injection : INJECTIONS) {
            add(out, "injected name " + printable(injection), "{\"ts\":" + ts() + "," + jsonString(injection)
                    + ":1}");
            add(out, "injected value " + printable(injection), "{\"ts\":" + ts() + ",\"a\":" + jsonString(injection)
                    + "}");
        }
        for (final String name : List.of("time", "device", "ts", "_a", "1a", "", "a".repeat(65), "température",
                "温度", "\uD83D\uDE00", "a\u0000", "TS", "Time", "DEVICE", "measurement", "a".repeat(64))) {
            add(out, "name " + printable(name), "{\"ts\":" + ts() + "," + jsonString(name) + ":1}");
        }
    }

    private static void nesting(final List<Payload> out) {
        for (final int depth : List.of(10, 1_000, 100_000)) {
            add(out, "nested arrays in a value, depth " + depth,
                    "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            add(out, "nested arrays, depth " + depth, "[".repeat(depth) + "]".repeat(depth));
            add(out, "nested objects, depth " + depth,
                    "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
            add(out, "unclosed nesting, depth " + depth, "[".repeat(depth));
        }
    }

    private static void encodings(final List<Payload> out) {
        final byte[][] invalidUtf8 = {
                {(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0x80}, {(byte) 0xfe, (byte) 0xff}};
        for (final byte[] bad : invalidUtf8) {
            out.add(new Payload("invalid UTF-8 in a name " + Arrays.toString(bad),
                    concat("{\"a".getBytes(StandardCharsets.UTF_8), bad, "\":1}".getBytes(StandardCharsets.UTF_8)),
                    1));
            out.add(new Payload("invalid UTF-8 in a value " + Arrays.toString(bad),
                    concat("{\"a\":\"".getBytes(StandardCharsets.UTF_8), bad, "\"}".getBytes(StandardCharsets.UTF_8)),
                    1));
            out.add(new Payload("invalid UTF-8 alone " + Arrays.toString(bad), bad, 1));
        }
        add(out, "UTF-16 text", "");
        out.set(out.size() - 1, new Payload("UTF-16 text", "{\"a\":1}".getBytes(StandardCharsets.UTF_16), 1));
        add(out, "escaped NUL in a name", "{\"a\\u0000b\":1}");
        add(out, "escaped lone surrogate in a name", "{\"a\\ud800\":1}");
        add(out, "escaped newline in a name", "{\"a\\nb\":1}");
    }

    private void sizes(final List<Payload> out) {
        final StringJoiner thousand = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 1000; i++) {
            thousand.add("{\"ts\":" + ts() + ",\"batch\":" + i + "}");
        }
        add(out, "1000 readings", thousand.toString());
        final StringJoiner tooMany = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 1001; i++) {
            tooMany.add("{\"batch\":" + i + "}");
        }
        add(out, "1001 readings", tooMany.toString());
        final StringJoiner wide = new StringJoiner(",", "{\"ts\":" + ts() + ",", "}");
        for (int i = 0; i < 500; i++) {
            wide.add("\"w" + i + "\":" + i);
        }
        add(out, "one reading with 500 metrics", wide.toString());
        add(out, "1 MB of spaces around a reading", "{\"a\":1" + " ".repeat(MEGABYTE) + "}");
        final byte[] noise = new byte[MEGABYTE];
        random.nextBytes(noise);
        out.add(new Payload("1 MB of random bytes", noise, 1));
        add(out, "1 MB metric name", "{\"" + "a".repeat(MEGABYTE) + "\":1}");
        add(out, "1 MB number", "{\"a\":1" + "0".repeat(MEGABYTE) + "}");
    }

    private Payload randomPayload(final int index) {
        final int kind = random.nextInt(4);
        return switch (kind) {
            case 0 -> {
                final byte[] bytes = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(bytes);
                yield new Payload("random bytes #" + index, bytes, 1);
            }
            case 1 -> new Payload("mutated reading #" + index, mutate("{\"temperature\":21.5,\"humidity\":40}"), 1);
            case 2 -> new Payload("mutated array #" + index, mutate("[{\"a\":1},{\"b\":-2.5e3}]"), 1);
            default -> new Payload("random name #" + index,
                    ("{" + jsonString(randomText(1 + random.nextInt(12))) + ":" + random.nextInt(100) + "}")
                            .getBytes(StandardCharsets.UTF_8), 1);
        };
    }

    /** A few random insertions, deletions and replacements of bytes: near-valid JSON, the parser's hardest case. */
    private byte[] mutate(final String valid) {
        final List<Byte> bytes = new ArrayList<>();
        for (final byte b : valid.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b);
        }
        final int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && !bytes.isEmpty(); i++) {
            final int at = random.nextInt(bytes.size());
            final byte replacement = random.nextBoolean() ? (byte) random.nextInt(256)
                    : (byte) "{}[]\",:0123456789.eE+-ntfu \\".charAt(random.nextInt(28));
            switch (random.nextInt(3)) {
                case 0 -> bytes.add(at, replacement);
                case 1 -> bytes.remove(at);
                default -> bytes.set(at, replacement);
            }
        }
        final byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    /** Random text over metacharacters, letters and digits. */
    String randomText(final int length) {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(3) == 0) {
                text.append(METACHARACTERS.get(random.nextInt(METACHARACTERS.size())));
            } else {
                text.append("abcXYZ019_".charAt(random.nextInt(10)));
            }
        }
        return text.toString();
    }

    // ---------------------------------------------------------------------------------------------- topics

    /**
     * Topics a device may not publish to. Paho refuses wildcards and control characters itself, so these are the
     * ones that get sent (format characters such as U+202E stand in for the control characters).
     */
    static List<String> wrongTopics(final String deviceId, final String otherDeviceId) {
        return List.of("devices/" + otherDeviceId + "/telemetry", "devices/" + deviceId + "/telemetry/",
                "devices/" + deviceId + "/telemetry/x", "/devices/" + deviceId + "/telemetry",
                "devices//" + deviceId + "/telemetry", "devices/" + deviceId + "/Telemetry",
                "DEVICES/" + deviceId + "/telemetry", "devices/" + deviceId + "/presence",
                "devices/" + deviceId + "/commands/x", "aggregates/" + deviceId + "/1m", "alerts/" + deviceId + "/x",
                "devices/" + deviceId + " /telemetry", "devices/" + deviceId + "\u200b/telemetry",
                "devices/" + deviceId.toUpperCase() + "/telemetry", "devices/é/telemetry", "$SYS/broker",
                "$share/g/devices/" + deviceId + "/telemetry", "telemetry", "devices", "x".repeat(1_000),
                "devices/" + deviceId + "/telemetry\u202e", "devices/" + "a".repeat(65) + "/telemetry",
                "devices/a,device=evil/telemetry", "devices/a b/telemetry");
    }

    /** Filters an app may not subscribe to (SUBACK failure, no disconnect). */
    static List<String> wrongFilters(final String otherOwnersDevice) {
        return List.of("#", "+", "+/+/telemetry", "devices/+/telemetry", "devices/#", "aggregates/#", "alerts/#",
                "aggregates/+/1m", "$SYS/#", "$share/g/#", "$share/g/aggregates/" + otherOwnersDevice + "/#",
                "devices/" + otherOwnersDevice + "/telemetry", "devices/" + otherOwnersDevice + "/presence",
                "aggregates/" + otherOwnersDevice + "/#", "devices/" + otherOwnersDevice + "/commands/#",
                "devices/no-such-device/telemetry", "devices/" + otherOwnersDevice + "/#", "a/b#", "a+/b",
                "devices/é/telemetry");
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    /** Hostile bodies for {@code POST /api/devices}: hostile ids and owners, malformed JSON, wrong types. */
    List<DeviceRequest> deviceRequests(final int total) {
        final List<DeviceRequest> out = new ArrayList<>();
        final List<String> hostile = new ArrayList<>(List.of("", " ", "a b", "a/b", "a+b", "#", "+", "a,b", "a=b",
                "a\"b", "a'b", "a\\b", "a\nb", "a\rb", "a\tb", "../x", "..", ".", "-x", "_x", ".x", "x".repeat(65),
                "dévice", "温度", "\uD83D\uDE00", "d\u0000", "d\u0007", "x' OR '1'='1", "x\" OR \"1\"=\"1",
                "x;DROP DATABASE pulsehub", "a\ninjected,device=evil value=1", "a,device=evil", "$SYS", "*", "?",
                "%00", "a%2Fb", "\u202eevil", "a\u200bb", "x".repeat(10_000)));
        for (final String injection : INJECTIONS) {
            hostile.add(injection);
        }
        final List<String> edgeButValid = List.of("A", "0", "a.b", "a-b_c.d", "Z".repeat(64), "pulsehub-x", "a..b",
                "a--b", "9_9");
        for (final String id : hostile) {
            out.add(json("hostile id " + printable(id), "{\"id\":" + jsonString(id) + ",\"owner\":\"alice\"}"));
            out.add(json("hostile owner " + printable(id),
                    "{\"id\":\"h-" + out.size() + "\",\"owner\":" + jsonString(id) + "}"));
        }
        for (final String id : edgeButValid) {
            out.add(json("edge id " + id, "{\"id\":" + jsonString(id + "-" + out.size()) + ",\"owner\":"
                    + jsonString(id) + "}"));
        }
        for (final String body : List.of("", " ", "{", "}", "[]", "null", "1", "\"x\"", "true", "{}",
                "{\"id\":\"m1\"}", "{\"owner\":\"alice\"}", "{\"id\":1,\"owner\":\"alice\"}",
                "{\"id\":null,\"owner\":\"alice\"}", "{\"id\":[\"m2\"],\"owner\":\"alice\"}",
                "{\"id\":{\"x\":1},\"owner\":\"alice\"}", "{\"id\":\"m3\",\"owner\":true}",
                "{\"id\":\"m4\",\"owner\":\"alice\",\"admin\":true}", "{\"id\":\"m5\",\"id\":\"m6\",\"owner\":\"a\"}",
                "{\"id\":\"m7\",\"owner\":\"alice\"} x", "{\"id\":\"m8\",\"owner\":\"alice\"}{}",
                "{'id':'m9','owner':'alice'}", "{id:\"m10\",owner:\"alice\"}", "{\"id\":\"m11\",\"owner\":\"al",
                "[".repeat(10_000), "{\"id\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}",
                "{\"id\":\"m12\",\"owner\":\"alice\",}", "\ufeff{\"id\":\"m13\",\"owner\":\"alice\"}",
                "{\"id\":\"m14\u0000\",\"owner\":\"alice\"}", "{\"id\":\"m15\",\"owner\":\"a\\u0000\"}")) {
            out.add(json("malformed body " + printable(body), body));
        }
        out.add(new DeviceRequest("invalid UTF-8 body", concat("{\"id\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[]{(byte) 0xff, (byte) 0xfe}, "\",\"owner\":\"a\"}".getBytes(StandardCharsets.UTF_8)),
                "application/json", true));
        out.add(new DeviceRequest("form body", "id=f1&owner=alice".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded", true));
        out.add(new DeviceRequest("XML body", "<device id=\"x1\"/>".getBytes(StandardCharsets.UTF_8),
                "application/xml", true));
        for (int i = 0; i < 10; i++) {
            out.add(new DeviceRequest("no admin token #" + i, ("{\"id\":\"noauth-" + i + "\",\"owner\":\"a\"}")
                    .getBytes(StandardCharsets.UTF_8), "application/json", false));
        }
        while (out.size() < total) {
            final int index = out.size();
            if (random.nextBoolean()) {
                out.add(json("random id #" + index, "{\"id\":" + jsonString(randomText(1 + random.nextInt(20)))
                        + ",\"owner\":" + jsonString(randomText(1 + random.nextInt(8))) + "}"));
            } else {
                out.add(new DeviceRequest("mutated body #" + index,
                        mutate("{\"id\":\"r-" + index + "\",\"owner\":\"alice\"}"), "application/json", true));
            }
        }
        return out;
    }

    private static DeviceRequest json(final String label, final String body) {
        return new DeviceRequest(label, body.getBytes(StandardCharsets.UTF_8), "application/json", true);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** A JSON string literal of any text, escaping what JSON requires (so the text arrives exactly). */
    static String jsonString(final String text) {
        final StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** For labels and messages: control characters visible, long text cut. */
    static String printable(final String text) {
        final StringBuilder out = new StringBuilder();
        text.codePoints().limit(60).forEach(c -> {
            if (Character.isISOControl(c) || c == 0x200b || c == 0x202e || c == 0xfeff) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.length() > 60 ? out + "…(" + text.length() + " chars)" : out.toString();
    }

    private static byte[] concat(final byte[]... parts) {
        int length = 0;
        for (final byte[] part : parts) {
            length += part.length;
        }
        final byte[] out = new byte[length];
        int at = 0;
        for (final byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
