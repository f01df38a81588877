package io.pulsehub.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class TelemetryCodecTest {

    private static final long BROKER_NANOS = 1_732_330_005_000_000_000L + 7_000;

    @Test
    void oneReadingWithTimestampKeepsItsTimeAndMetrics() throws Exception {
        final List<Reading> readings = decode("{\"ts\": 1732330000123, \"temperature\": 21.5, \"humidity\": 40}");

        assertThat(readings).singleElement().satisfies(r -> {
            assertThat(r.timeNanos()).isEqualTo(1_732_330_000_123_000_000L);
            assertThat(r.epochMillis()).isEqualTo(1_732_330_000_123L);
            assertThat(r.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("temperature", 21.5, "humidity", 40.0));
        });
    }

    /** The codec's fast double parser must give the very double Double.parseDouble gives, for any notation. */
    @Test
    void numbersDecodeToExactlyTheDoubleJavaParses() throws Exception {
        final long seed = System.nanoTime();
        final java.util.Random random = new java.util.Random(seed);
        final List<String> numbers = new java.util.ArrayList<>(List.of("0", "-0.0", "0.1", "1e308",
                "1.7976931348623157E308", "4.9E-324", "2.2250738585072014E-308", "2.2250738585072011e-308",
                "9007199254740993", "0.30000000000000004", "123456789012345678901234567890", "1e-400", "-2.5e-3",
                "21.5"));
        for (int i = 0; i < 2_000; i++) {
            final double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value)) {
                numbers.add(Double.toString(value));
            }
            numbers.add(String.format(java.util.Locale.ROOT, "%." + random.nextInt(20) + "f",
                    random.nextDouble() * Math.pow(10, random.nextInt(12))));
            numbers.add(random.nextInt(1_000_000) + "." + random.nextInt(1_000_000) + "e" + (random.nextInt(40) - 20));
        }
        for (final String number : numbers) {
            final double expected = Double.parseDouble(number);
            assertThat(decode("{\"v\": " + number + "}").get(0).metrics().get("v"))
                    .as("%s (seed %d)", number, seed)
                    .isEqualTo(expected);
        }
    }

    @Test
    void readingWithoutTimestampTakesBrokerTime() throws Exception {
        assertThat(decode("{\"steps\": 12}")).singleElement()
                .satisfies(r -> assertThat(r.timeNanos()).isEqualTo(BROKER_NANOS));
    }

    @Test
    void arrayReadingsWithoutTimestampStayDistinct() throws Exception {
        final List<Reading> readings = decode("[{\"a\": 1}, {\"a\": 2}, {\"ts\": 1732330000000, \"a\": 3}]");

        assertThat(readings).extracting(Reading::timeNanos)
                .containsExactly(BROKER_NANOS, BROKER_NANOS + 1, 1_732_330_000_000_000_000L);
    }

    @Test
    void acceptsTheLargestBatch() throws Exception {
        final String batch = "[" + String.join(",", java.util.Collections.nCopies(
                TelemetryCodec.MAX_READINGS_PER_PAYLOAD, "{\"a\":1}")) + "]";
        assertThat(decode(batch)).hasSize(TelemetryCodec.MAX_READINGS_PER_PAYLOAD);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "''                                            | payload is empty",
            "not json                                      | not valid JSON",
            "42                                            | must be a JSON object",
            "'\"text\"'                                    | must be a JSON object",
            "[]                                            | array of readings is empty",
            "[1]                                           | array element 0 is not a reading object",
            "{}                                            | at least one numeric metric",
            "{\"ts\": 1732330000123}                       | at least one numeric metric",
            "{\"temperature\": \"21\"}                     | 'temperature' must be a number, not a string",
            "{\"temperature\": true}                       | must be a number, not a boolean",
            "{\"temperature\": null}                       | must be a number, not null",
            "{\"temperature\": {\"x\": 1}}                 | must be a number, not an object",
            "{\"temperature\": [1]}                        | must be a number, not an array",
            "{\"temperature\": 1e999}                      | 'temperature' is out of range",
            "{\"temperature\": NaN}                        | not valid JSON",
            "{\"bad name\": 1}                             | metric name 'bad name' is invalid",
            "{\"1abc\": 1}                                 | metric name '1abc' is invalid",
            "{\"a,b=c\": 1}                                | metric name 'a,b=c' is invalid",
            "{\"device\": 1}                               | metric name 'device' is reserved (the device tag)",
            "{\"time\": 1}                                 | metric name 'time' is reserved (InfluxDB's time column)",
            "{\"a\": 1, \"a\": 2}                          | member 'a' appears more than once in a reading",
            "[{\"b\": 1}, {\"a\": 1, \"b\": 2, \"a\": 3}]    | member 'a' appears more than once in a reading",
            "{\"ts\": 1732330000123, \"a\": 1, \"ts\": 1732330000124} | member 'ts' appears more than once",
            "{\"ts\": 1732330000.5, \"a\": 1}              | ts must be an integer",
            "{\"ts\": \"1732330000123\", \"a\": 1}         | ts must be an integer",
            "{\"ts\": 1732330000, \"a\": 1}                | ts 1732330000 is not plausible",
            "{\"ts\": 99999999999999999999, \"a\": 1}      | ts is out of range",
            "{\"ts\": 1832330000000, \"a\": 1}             | more than a day ahead",
            "{\"a\": 1} {\"a\": 2}                         | unexpected content after the end",
            "{\"a\": 1                                     | not valid JSON",
    })
    void refusesWithAReason(final String payload, final String reason) {
        assertThatThrownBy(() -> decode(payload))
                .isInstanceOf(InvalidTelemetryException.class)
                .hasMessageContaining(reason);
        // The broker only validates; it must refuse exactly what the bridge could not decode, for the same reason.
        final String decodeReason = catchThrowable(() -> decode(payload)).getMessage();
        assertThatThrownBy(() -> TelemetryCodec.validate(payload.getBytes(StandardCharsets.UTF_8), BROKER_NANOS))
                .isInstanceOf(InvalidTelemetryException.class)
                .hasMessage(decodeReason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1}", "[{\"a\": 1}, {\"b\": 2, \"ts\": 1732330000000}]", "[{\"x\": -0.0}]"})
    void validateCountsWhatDecodeReads(final String payload) throws Exception {
        assertThat(TelemetryCodec.validate(payload.getBytes(StandardCharsets.UTF_8), BROKER_NANOS))
                .isEqualTo(decode(payload).size());
    }

    @Test
    void aLargeReadingFindsItsDuplicateWithoutAQuadraticScan() throws Exception {
        final StringBuilder reading = new StringBuilder("{");
        for (int i = 0; i < 5_000; i++) {
            reading.append("\"m").append(i).append("\": ").append(i).append(", ");
        }
        final String distinct = reading + "\"last\": 1}";
        assertThat(decode(distinct)).singleElement()
                .satisfies(r -> assertThat(r.metrics()).hasSize(5_001).containsEntry("m4999", 4999.0));
        assertThatThrownBy(() -> decode(reading + "\"m17\": 1}"))
                .hasMessage("member 'm17' appears more than once in a reading");
        assertThatThrownBy(() -> decode("{\"m1\": 1, \"m2\": 2, \"m1\": 3}"))
                .hasMessage("member 'm1' appears more than once in a reading");
    }

    @Test
    void readingsOfOnePayloadDoNotShareMetrics() throws Exception {
        final List<Reading> readings = decode("[{\"a\": 1, \"b\": 2}, {\"a\": 3}]");
        assertThat(readings.get(0).metrics()).containsExactly(Map.entry("a", 1.0), Map.entry("b", 2.0));
        assertThat(readings.get(1).metrics()).containsExactly(Map.entry("a", 3.0));
    }

    @Test
    void refusesTooManyReadings() {
        final String batch = "[" + String.join(",", java.util.Collections.nCopies(
                TelemetryCodec.MAX_READINGS_PER_PAYLOAD + 1, "{\"a\":1}")) + "]";
        assertThatThrownBy(() -> decode(batch)).hasMessageContaining("too many readings");
    }

    @Test
    void refusesInvalidUtf8() {
        final byte[] payload = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        assertThatThrownBy(() -> TelemetryCodec.decode(payload, BROKER_NANOS))
                .isInstanceOf(InvalidTelemetryException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void reasonEscapesControlCharactersAndBoundsLength() {
        assertThat(TelemetryCodec.printable("a\nb")).isEqualTo("a\\u000ab");
        assertThat(TelemetryCodec.printable("x".repeat(100))).hasSize(65).endsWith("…");
    }

    private static List<Reading> decode(final String json) throws InvalidTelemetryException {
        return TelemetryCodec.decode(json.getBytes(StandardCharsets.UTF_8), BROKER_NANOS);
    }
}
