package io.pulsehub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void answersPingOnItsLoopbackPortWithAppendOnlyEnabled() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.pid()).isPositive();
            assertThat(Resp.call(redis.port(), "PING")).isEqualTo("PONG");
            assertThat(Resp.call(redis.port(), "INFO", "persistence")).contains("aof_enabled:1");
        }
    }

    @Test
    void keepsDataAcrossStopAndRestartOnTheSamePort() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            final int port = redis.port();
            final long firstPid = redis.pid();
            assertThat(Resp.call(port, "SET", "reading", "21.5")).isEqualTo("OK");

            redis.stop();
            assertThat(Resp.ping(port)).isFalse();
            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pid()).isNotEqualTo(firstPid);
            assertThat(Resp.call(port, "GET", "reading")).isEqualTo("21.5");
        }
    }

    @Test
    void keepsAcknowledgedWritesAcrossKill() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(Resp.call(redis.port(), "INCR", "counter")).isEqualTo("1");

            redis.kill();
            assertThat(Resp.ping(redis.port())).isFalse();
            redis.restart();

            assertThat(Resp.call(redis.port(), "GET", "counter")).isEqualTo("1");
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectory() {
        final RedisServer redis = RedisServer.start();
        final long pid = redis.pid();
        assertThat(redis.directory()).isDirectory();

        redis.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.exists(redis.directory())).isFalse();
        assertThat(Resp.ping(redis.port())).isFalse();
    }
}
