package io.pulsehub.benchmark;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LoadGeneratorTest {

    @Test
    void latenciesAreThoseOfTheSecondHalfOfAPhase() {
        assertThat(LoadGenerator.latencyAfter(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(15));
        assertThat(LoadGenerator.latencyAfter(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(2_500));
    }

    @Test
    void loadProcessesRunPauselessAndConnectionHoldersKeepTheirHeap() {
        assertThat(LoadGenerator.collector(50)).isEqualTo("-XX:+UseZGC");
        assertThat(LoadGenerator.collector(1_000)).isEqualTo("-XX:+UseZGC");
        assertThat(LoadGenerator.collector(2_500)).isEqualTo("-XX:+UseParallelGC");
    }
}
