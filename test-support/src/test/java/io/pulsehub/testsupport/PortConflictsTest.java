package io.pulsehub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PortConflictsTest {

    @Test
    void retriesWhenThePortWasTaken() {
        final AtomicInteger attempts = new AtomicInteger();

        final String started = PortConflicts.retry(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("bind: Address already in use");
            }
            return "started";
        });

        assertThat(started).isEqualTo("started");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void doesNotRetryOtherFailures() {
        final AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> PortConflicts.retry(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("bad config");
        })).hasMessage("bad config");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void givesUpAfterThreeConflicts() {
        final AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> PortConflicts.retry(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("listen tcp 127.0.0.1:1: bind: address already in use");
        })).hasMessageContaining("address already in use");
        assertThat(attempts).hasValue(3);
    }
}
