package io.pulsehub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class ExecutablesTest {

    @Test
    void findsAnInstalledExecutable() {
        assertThat(Files.isExecutable(Executables.locate("sh", "unused"))).isTrue();
    }

    @Test
    void failsWithTheInstallCommandWhenMissing() {
        assertThatThrownBy(() -> Executables.locate("pulsehub-no-such-server", "apt-get install -y nothing"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("pulsehub-no-such-server not found; install it: apt-get install -y nothing");
    }
}
