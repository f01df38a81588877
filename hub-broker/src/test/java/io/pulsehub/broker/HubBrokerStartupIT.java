package io.pulsehub.broker;

import io.pulsehub.testsupport.JavaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the broker refuses before HiveMQ runs: a taken port, a missing or empty extensions folder. */
class HubBrokerStartupIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void takenMqttPortStopsTheBrokerWithTheVariableToChange() throws Exception {
        assertTakenPortIsReported("HUB_MQTT_PORT");
    }

    @Test
    void takenWebSocketPortStopsTheBrokerWithTheVariableToChange() throws Exception {
        assertTakenPortIsReported("HUB_MQTT_WS_PORT");
    }

    private void assertTakenPortIsReported(final String variable) throws Exception {
        final Map<String, String> env = BrokerProcesses.brokerEnv(work.resolve("broker"), emptyExtensionsDir());
        final int port = Integer.parseInt(env.get(variable));
        try (ServerSocket occupant = new ServerSocket()) {
            occupant.bind(new InetSocketAddress("127.0.0.1", port));
            final JavaProcess broker = BrokerProcesses.broker(env, work.resolve("logs")).start();
            try {
                broker.awaitLogLine("port " + port + " (" + variable + ") is in use; set " + variable,
                        STARTUP);
                await().atMost(Duration.ofSeconds(30)).until(() -> !broker.isAlive());
                assertThat(broker.logTail(50)).doesNotContain(BrokerProcesses.READY_LINE);
            } finally {
                broker.kill();
            }
        }
    }

    @Test
    void extensionsFolderWithoutAnExtensionStopsTheBroker() throws Exception {
        final Map<String, String> env = BrokerProcesses.brokerEnv(work.resolve("broker"), emptyExtensionsDir());
        final JavaProcess broker = BrokerProcesses.broker(env, work.resolve("logs")).start();
        try {
            broker.awaitLogLine("no enabled HiveMQ extension in", STARTUP);
            await().atMost(Duration.ofSeconds(30)).until(() -> !broker.isAlive());
            assertThat(broker.logTail(50)).doesNotContain(BrokerProcesses.READY_LINE);
        } finally {
            broker.kill();
        }
    }

    @Test
    void missingExtensionsFolderStopsTheBrokerNamingTheVariable() throws Exception {
        final Map<String, String> env = BrokerProcesses.brokerEnv(work.resolve("broker"), work.resolve("absent"));
        final JavaProcess broker = BrokerProcesses.broker(env, work.resolve("logs")).start();
        try {
            broker.awaitLogLine("does not exist (HUB_EXTENSIONS_DIR)", STARTUP);
            await().atMost(Duration.ofSeconds(30)).until(() -> !broker.isAlive());
        } finally {
            broker.kill();
        }
    }

    private Path emptyExtensionsDir() throws Exception {
        return Files.createDirectories(work.resolve("extensions"));
    }
}
