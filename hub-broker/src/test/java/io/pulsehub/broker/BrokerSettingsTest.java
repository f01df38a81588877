package io.pulsehub.broker;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerSettingsTest {

    private static final Path ROOT = Path.of("/srv/pulsehub");

    @Test
    void defaultsAreLoopbackStandardPortsAndRepositoryFoldersAndAreReported() {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(), ROOT);

        assertThat(settings.bind()).isEqualTo("127.0.0.1");
        assertThat(settings.mqttPort()).isEqualTo(1883);
        assertThat(settings.wsPort()).isEqualTo(8000);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/srv/pulsehub/.hub/broker"));
        assertThat(settings.configDir()).isEqualTo(Path.of("/srv/pulsehub/.hub/broker/conf"));
        assertThat(settings.extensionsDir()).isEqualTo(Path.of("/srv/pulsehub/hivemq-extension/target/extensions"));
        assertThat(settings.defaultsUsed()).containsExactly("HUB_BIND=127.0.0.1", "HUB_MQTT_PORT=1883",
                "HUB_MQTT_WS_PORT=8000", "HUB_BROKER_METRICS_PORT=9399", "HUB_BROKER_DATA_DIR=.hub/broker",
                "HUB_EXTENSIONS_DIR=hivemq-extension/target/extensions", "HUB_BROKER_MAX_QUEUED_MESSAGES=1000",
                "HUB_BROKER_RECEIVE_MAXIMUM=32", "HUB_BROKER_PERSISTENCE=file");
        assertThat(settings.persistence()).isEqualTo(BrokerSettings.Persistence.FILE);
        assertThat(settings.maxQueuedMessages()).isEqualTo(1000);
        assertThat(settings.receiveMaximum()).isEqualTo(32);
        assertThat(settings.mqttUrl()).isEqualTo("mqtt://127.0.0.1:1883");
        assertThat(settings.wsUrl()).isEqualTo("ws://127.0.0.1:8000/mqtt");
        assertThat(settings.metricsUrl()).isEqualTo("http://127.0.0.1:9399/metrics");
    }

    @Test
    void environmentOverridesEverySetting() {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(
                "HUB_BIND", "::1",
                "HUB_MQTT_PORT", "21883",
                "HUB_MQTT_WS_PORT", "28000",
                "HUB_BROKER_METRICS_PORT", "29399",
                "HUB_BROKER_DATA_DIR", "/var/lib/broker",
                "HUB_EXTENSIONS_DIR", "ext",
                "HUB_BROKER_MAX_QUEUED_MESSAGES", "50000",
                "HUB_BROKER_RECEIVE_MAXIMUM", "10",
                "HUB_BROKER_PERSISTENCE", "in-memory"), ROOT);

        assertThat(settings.mqttPort()).isEqualTo(21883);
        assertThat(settings.wsPort()).isEqualTo(28000);
        assertThat(settings.metricsPort()).isEqualTo(29399);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/broker"));
        assertThat(settings.extensionsDir()).isEqualTo(Path.of("/srv/pulsehub/ext"));
        assertThat(settings.maxQueuedMessages()).isEqualTo(50_000);
        assertThat(settings.receiveMaximum()).isEqualTo(10);
        assertThat(settings.persistence()).isEqualTo(BrokerSettings.Persistence.IN_MEMORY);
        assertThat(settings.defaultsUsed()).isEmpty();
        assertThat(settings.mqttUrl()).isEqualTo("mqtt://[::1]:21883");
        assertThat(settings.wsUrl()).isEqualTo("ws://[::1]:28000/mqtt");
    }

    @Test
    void refusesAPortThatIsNotANumberNamingTheVariable() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_MQTT_PORT", "mqtt"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessage("HUB_MQTT_PORT must be a port number 1-65535, got 'mqtt'");
    }

    @Test
    void refusesAQueueSizeThatIsNoPositiveNumberOrTooLarge() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_BROKER_MAX_QUEUED_MESSAGES", "lots"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessage("HUB_BROKER_MAX_QUEUED_MESSAGES must be a whole number 1-10000000, got 'lots'");
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_BROKER_MAX_QUEUED_MESSAGES", "0"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessage("HUB_BROKER_MAX_QUEUED_MESSAGES must be a whole number 1-10000000, got 0");
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(
                Map.of("HUB_BROKER_MAX_QUEUED_MESSAGES", "10000001"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessage("HUB_BROKER_MAX_QUEUED_MESSAGES must be a whole number 1-10000000, got 10000001");
    }

    @Test
    void refusesAReceiveMaximumOutsideWhatMqttCanSay() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_BROKER_RECEIVE_MAXIMUM", "0"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessage("HUB_BROKER_RECEIVE_MAXIMUM must be a whole number 1-65535, got 0");
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_BROKER_RECEIVE_MAXIMUM", "65536"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessage("HUB_BROKER_RECEIVE_MAXIMUM must be a whole number 1-65535, got 65536");
    }

    @Test
    void refusesAPersistenceModeHiveMqDoesNotHave() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_BROKER_PERSISTENCE", "memory"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessage("HUB_BROKER_PERSISTENCE must be 'file' or 'in-memory', got 'memory'");
    }

    @Test
    void refusesAPortOutOfRange() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_MQTT_WS_PORT", "65536"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessage("HUB_MQTT_WS_PORT must be a port number 1-65535, got 65536");
    }

    @Test
    void refusesTheSamePortForBothListeners() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(
                Map.of("HUB_MQTT_PORT", "9000", "HUB_MQTT_WS_PORT", "9000"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessageContaining("HUB_MQTT_PORT and HUB_MQTT_WS_PORT are both 9000");
    }

    @Test
    void refusesABindAddressThatCouldBreakTheGeneratedConfiguration() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_BIND", "127.0.0.1</bind-address>"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessageStartingWith("HUB_BIND must be an IP address or host name");
    }

    @Test
    void bareModeIsOffUnlessAskedForAndIsNotReportedAsADefault() {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(), ROOT);

        assertThat(settings.bare()).isFalse();
        assertThat(settings.defaultsUsed()).noneMatch(line -> line.startsWith("HUB_BROKER_BARE"));
    }

    @Test
    void bareModeNeedsItsExactConfirmationNotJustTrue() {
        for (final String casual : new String[]{"true", "1", "yes", "benchmark"}) {
            assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_BROKER_BARE", casual), ROOT))
                    .isInstanceOf(BrokerStartupException.class)
                    .hasMessageContaining("set it to exactly 'benchmark-only-no-auth'");
        }
    }

    @Test
    void bareModeWithItsConfirmationOnLoopback() {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(
                Map.of("HUB_BROKER_BARE", "benchmark-only-no-auth"), ROOT);

        assertThat(settings.bare()).isTrue();
    }

    @Test
    void bareModeRefusesAnyAddressButLoopback() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(
                Map.of("HUB_BROKER_BARE", "benchmark-only-no-auth", "HUB_BIND", "0.0.0.0"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessageContaining("for loopback benchmarks only");
    }

    @Test
    void tlsIsOffWithoutAKeystoreAndItsPortsAreNotReported() {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of(), ROOT);

        assertThat(settings.tls()).isEmpty();
        assertThat(settings.listenerUrls()).containsExactly("mqtt://127.0.0.1:1883", "ws://127.0.0.1:8000/mqtt");
    }

    @Test
    void keystoreTurnsTlsOnWithDefaultPortsAndTheKeystorePasswordForTheKey() {
        final BrokerSettings settings = BrokerSettings.fromEnvironment(Map.of("HUB_TLS_KEYSTORE", "tls/server.p12",
                "HUB_TLS_KEYSTORE_PASSWORD", "store-secret"), ROOT);

        final TlsSettings tls = settings.tls().orElseThrow();
        assertThat(tls.keystore()).isEqualTo(Path.of("/srv/pulsehub/tls/server.p12"));
        assertThat(tls.privateKeyPassword()).isEqualTo("store-secret");
        assertThat(tls.tlsPort()).isEqualTo(8883);
        assertThat(tls.wssPort()).isEqualTo(8001);
        assertThat(tls.toString()).doesNotContain("store-secret");
        assertThat(settings.defaultsUsed()).contains("HUB_MQTT_TLS_PORT=8883", "HUB_MQTT_WSS_PORT=8001",
                "HUB_TLS_KEY_PASSWORD=<HUB_TLS_KEYSTORE_PASSWORD>").noneMatch(line -> line.contains("store-secret"));
        assertThat(settings.listenerUrls()).contains("mqtts://127.0.0.1:8883", "wss://127.0.0.1:8001/mqtt");
    }

    @Test
    void keystoreWithoutAPasswordIsRefused() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_TLS_KEYSTORE", "server.p12"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessageContaining("HUB_TLS_KEYSTORE_PASSWORD is required");
    }

    @Test
    void tlsPortEqualToAnotherListenersPortIsRefused() {
        assertThatThrownBy(() -> BrokerSettings.fromEnvironment(Map.of("HUB_TLS_KEYSTORE", "server.p12",
                "HUB_TLS_KEYSTORE_PASSWORD", "pw", "HUB_MQTT_WSS_PORT", "8000"), ROOT))
                .isInstanceOf(BrokerStartupException.class)
                .hasMessageContaining("must all differ");
    }
}
