package io.pulsehub.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    @Test
    void failsFastWithTheLogTailWhenTheProcessExitsBeforeItIsReady() {
        final ChildProcess child = ChildProcess.start("failing", List.of("sh", "-c", "echo cannot bind >&2; exit 3"),
                dir, Map.of(), dir.resolve("failing.log"));

        assertThatThrownBy(() -> child.awaitReady("readiness", Duration.ofMinutes(5), () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 3 before readiness")
                .hasMessageContaining("cannot bind");
    }
}
