package io.pulsehub.simulator.profile;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReadingJsonTest {

    @ParameterizedTest
    @CsvSource({
            "21.5, 2, 21.50",
            "21.456, 2, 21.46",
            "21.454, 2, 21.45",
            "0.05, 2, 0.05",
            "-0.05, 2, -0.05",
            "-61.4, 0, -61",
            "-0.004, 2, 0.00",
            "99.96, 1, 100.0",
            "7, 3, 7.000"})
    void decimalsHaveExactlyTheGivenDigits(final double value, final int decimals, final String expected) {
        final StringBuilder out = new StringBuilder();
        ReadingJson.appendFixed(out, value, decimals);
        assertThat(out).hasToString(expected);
    }

    @Test
    void writesOneReadingObjectWithTsFirst() {
        final byte[] json = new ReadingJson(1_732_330_000_123L)
                .decimal("temperature", 21.5, 2)
                .integer("heating", 1)
                .toBytes();
        assertThat(new String(json, StandardCharsets.US_ASCII))
                .isEqualTo("{\"ts\":1732330000123,\"temperature\":21.50,\"heating\":1}");
    }
}
