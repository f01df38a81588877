package io.pulsehub.bridge.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void doublesFrom100MillisUpTo5SecondsWithJitterInTheUpperHalf() {
        final Backoff lowest = new Backoff(bound -> 0);
        final Backoff highest = new Backoff(bound -> bound - 1);
        final long[] expectedCeilings = {100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
        for (final long ceiling : expectedCeilings) {
            assertThat(lowest.nextDelayMillis()).isEqualTo(ceiling / 2);
            assertThat(highest.nextDelayMillis()).isEqualTo(ceiling);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(highest.nextDelayMillis()).isEqualTo(Backoff.MAX_MILLIS);
        }
    }

    @Test
    void startsOverAfterASuccess() {
        final Backoff backoff = new Backoff(bound -> bound - 1);
        backoff.nextDelayMillis();
        backoff.nextDelayMillis();
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isEqualTo(Backoff.MIN_MILLIS);
    }

    @Test
    void warnsAtTheStartOfAnOutageAndThenEveryTenthRetry() {
        final Backoff backoff = new Backoff(bound -> 0);
        int warnings = 0;
        for (int i = 0; i < 30; i++) {
            backoff.nextDelayMillis();
            warnings += backoff.worthWarning() ? 1 : 0;
        }
        assertThat(warnings).isEqualTo(4);
    }
}
