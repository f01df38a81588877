package io.pulsehub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Path jar;

    @BeforeEach
    void writeJar() throws IOException {
        jar = EchoJar.write(dir);
    }

    @Test
    void passesJvmArgsEnvironmentAndWorkingDirectory() throws IOException {
        final Path workingDir = Files.createDirectory(dir.resolve("work"));
        final Path logFile = dir.resolve("logs/echo.log");
        try (JavaProcess echo = JavaProcess.builder(jar)
                .jvmArgs("-Decho.prop=from-jvm-arg")
                .env("ECHO_ENV", "from-env")
                .workingDir(workingDir)
                .logFile(logFile)
                .build()
                .start()) {
            echo.awaitLogLine("echo ready", TIMEOUT);

            assertThat(echo.isAlive()).isTrue();
            assertThat(ProcessHandle.of(echo.pid())).isPresent();
            assertThat(echo.logFile()).isEqualTo(logFile);
            assertThat(echo.logTail(5))
                    .contains("env=from-env")
                    .contains("prop=from-jvm-arg")
                    .contains("cwd=" + workingDir);
        }
    }

    @Test
    void stopSendsSigtermSoShutdownHooksRunAndCanStartAgain() {
        final JavaProcess echo = JavaProcess.builder(jar).logFile(dir.resolve("echo.log")).build().start();
        echo.awaitLogLine("echo ready", TIMEOUT);

        echo.stop();

        assertThat(echo.isAlive()).isFalse();
        assertThat(echo.logTail(1)).isEqualTo("echo stopping");

        final long firstPid = echo.pid();
        echo.start();
        // Matches only output of the new run, although the earlier run wrote the same line to the same file.
        echo.awaitLogLine("echo ready", TIMEOUT);
        assertThat(echo.pid()).isNotEqualTo(firstPid);
        echo.kill();
    }

    @Test
    void killEndsTheJvmWithoutShutdownHooks() {
        final JavaProcess echo = JavaProcess.builder(jar).logFile(dir.resolve("echo.log")).build().start();
        echo.awaitLogLine("echo ready", TIMEOUT);

        echo.kill();

        assertThat(echo.isAlive()).isFalse();
        assertThat(echo.logTail(10)).doesNotContain("echo stopping");
    }

    @Test
    void awaitLogLineFailsFastWithTheLogTailWhenTheProcessExits() {
        final JavaProcess echo = JavaProcess.builder(jar).args("exit").build().start();

        assertThatThrownBy(() -> echo.awaitLogLine("echo ready", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("echo giving up");
    }

    @Test
    void awaitLogLineFailsWithTheLogTailOnTimeout() {
        try (JavaProcess echo = JavaProcess.builder(jar).build().start()) {
            echo.awaitLogLine("echo ready", TIMEOUT);

            assertThatThrownBy(() -> echo.awaitLogLine("never logged", Duration.ofMillis(500)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("never logged")
                    .hasMessageContaining("echo ready");
        }
    }

    @Test
    void refusesToStartAMissingJar() {
        assertThatThrownBy(() -> JavaProcess.builder(dir.resolve("missing.jar")).build().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing.jar does not exist");
    }
}
