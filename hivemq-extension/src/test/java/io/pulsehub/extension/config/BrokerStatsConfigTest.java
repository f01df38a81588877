package io.pulsehub.extension.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker node's name and report interval: defaults, file, environment, validation. */
class BrokerStatsConfigTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of(
            "HUB_JWT_SECRET", "0123456789abcdef0123456789abcdef-jwt",
            "HUB_SERVICE_TOKEN", "service-token-0123456789"));

    private BrokerStatsSettings load(final String body, final String hostName) throws Exception {
        final Path file = dir.resolve("config.xml");
        Files.writeString(file, "<pulsehub-extension>" + body + "</pulsehub-extension>", StandardCharsets.UTF_8);
        return new ConfigLoader(env::get, () -> hostName).load(file).brokerStats();
    }

    @Test
    void defaultsAreTheHostNameAndFiveSeconds() throws Exception {
        assertThat(load("", "node-7.example.com"))
                .isEqualTo(new BrokerStatsSettings("node-7.example.com", Duration.ofSeconds(5)));
    }

    @Test
    void fileSetsThemAndTheEnvironmentOverridesTheFile() throws Exception {
        final String file = "<broker-node>from-file</broker-node>"
                + "<broker-stats-interval-ms>750</broker-stats-interval-ms>";
        assertThat(load(file, "host")).isEqualTo(new BrokerStatsSettings("from-file", Duration.ofMillis(750)));

        env.put("HUB_BROKER_NODE", "hivemq-2");
        env.put("HUB_BROKER_STATS_INTERVAL_MS", "1000");
        assertThat(load(file, "host")).isEqualTo(new BrokerStatsSettings("hivemq-2", Duration.ofSeconds(1)));
    }

    @Test
    void aNodeNameThatCannotBeAKeyOrTagIsRefused() {
        env.put("HUB_BROKER_NODE", "broker one");
        assertThatThrownBy(() -> load("", "host")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("broker-node (HUB_BROKER_NODE, default the host name) must match "
                        + "[A-Za-z0-9_.:-]{1,128}");
        env.remove("HUB_BROKER_NODE");
        assertThatThrownBy(() -> load("", "x".repeat(129))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("broker-node");
    }

    @Test
    void intervalsOutsideTheContractsBoundsAreRefused() {
        assertThatThrownBy(() -> load("<broker-stats-interval-ms>99</broker-stats-interval-ms>", "host"))
                .hasMessageContaining("broker-stats-interval-ms must be between 100 and 60000, was 99");
        assertThatThrownBy(() -> load("<broker-stats-interval-ms>60001</broker-stats-interval-ms>", "host"))
                .hasMessageContaining("broker-stats-interval-ms must be between 100 and 60000, was 60001");
    }
}
