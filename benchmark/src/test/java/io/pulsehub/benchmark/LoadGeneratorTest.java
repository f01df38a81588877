package io.pulsehub.benchmark;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LoadGeneratorTest {

    @Test
    void latenciesAreMeasuredAfterTheGeneratorsFirstSecondsOrItsFirstQuarterInShortPhases() {
        assertThat(LoadGenerator.latencyAfter(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(5));
        assertThat(LoadGenerator.latencyAfter(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(5));
        assertThat(LoadGenerator.latencyAfter(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(2));
        assertThat(LoadGenerator.latencyAfter(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(250));
    }
}
