package io.pulsehub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaperTest {

    private static final Pattern STARTED = Pattern.compile("redis pid=(\\d+) dir=(\\S+)");

    @TempDir
    Path dir;

    @Test
    void serversAJvmNeverClosedDieAndVanishWhenThatJvmExits() throws IOException {
        final JavaProcess jvm = JavaProcess.builder(EchoJar.write(dir)).args("redis").build().start();
        jvm.awaitLogLine("echo ready", Duration.ofSeconds(30));
        final Matcher started = STARTED.matcher(Files.readString(jvm.logFile()));
        assertThat(started.find()).as(jvm.logTail(20)).isTrue();
        final long redisPid = Long.parseLong(started.group(1));
        final Path redisDir = Path.of(started.group(2));
        assertThat(ProcessHandle.of(redisPid).filter(ProcessHandle::isAlive)).isPresent();

        jvm.stop();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(redisPid).filter(ProcessHandle::isAlive).isEmpty());
        assertThat(Files.exists(redisDir)).isFalse();
    }
}
