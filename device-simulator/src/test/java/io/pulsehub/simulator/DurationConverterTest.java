package io.pulsehub.simulator;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    @ParameterizedTest
    @CsvSource({
            "30s, PT30S",
            "2m, PT2M",
            "1h, PT1H",
            "1d, PT24H",
            "250ms, PT0.25S",
            "1.5s, PT1.5S",
            "1h30m, PT1H30M",
            "2m30s, PT2M30S",
            "' 10S ', PT10S",
            "PT45S, PT45S",
            "pt1m, PT1M"})
    void readsDurationsAsPeopleWriteThem(final String text, final String iso) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "", "s", "abc", "10 s", "1x", "-5s", "0s", "PT0S", "P", "1.s"})
    void refusesWhatIsNoPositiveDurationWithAnExample(final String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
