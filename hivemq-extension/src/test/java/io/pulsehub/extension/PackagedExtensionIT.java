package io.pulsehub.extension;

import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.Topics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads the extension folder that {@code mvn package} built, the way a HiveMQ installation does: its own class
 * loader, the shaded jar, hivemq-extension.xml, conf/config.xml and secrets from the environment (set by the
 * failsafe configuration). A packaging mistake fails here.
 */
class PackagedExtensionIT {

    private static final int NOT_AUTHORIZED = 0x87;

    private static Path extensionFolder() {
        final Path folder = Path.of(System.getProperty("pulsehub.extension.folder",
                "target/extensions/pulsehub-extension"));
        assertThat(folder.resolve("hivemq-extension.xml")).as("run 'mvn package' first").exists();
        assertThat(folder.resolve("pulsehub-extension.jar")).exists();
        assertThat(folder.resolve("conf/config.xml")).exists();
        return folder;
    }

    private static String config(final String partitions) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <pulsehub-extension>
                    <redis-url>%%REDIS%%</redis-url>
                    <stream-partitions>%s</stream-partitions>
                </pulsehub-extension>
                """.formatted(partitions);
    }

    @Test
    void packagedExtensionAuthenticatesAndStoresReadings() throws Exception {
        final Path folder = extensionFolder();
        assertThat(Files.readString(folder.resolve("hivemq-extension.xml")))
                .contains("<id>pulsehub-extension</id>").doesNotContain("${");

        try (EmbeddedHub hub = EmbeddedHub.withExtensionFolder(folder,
                config(Integer.toString(EmbeddedHub.PARTITIONS)), true)) {
            final ProvisionedDevice device = hub.provision("packaged", "alice");
            final Mqtt.V3 client = Mqtt.v3(hub.mqttUrl(), device.id(), device.id(), device.token());
            try {
                client.publish(Topics.telemetry(device.id()), "{\"temperature\":21.5}", 1)
                        .waitForCompletion(Mqtt.TIMEOUT_MILLIS);
            } finally {
                client.close();
            }
            assertThat(hub.entriesOf(device.id())).extracting(entry -> entry.getFields().get("p"))
                    .containsExactly("{\"temperature\":21.5}");

            final String appToken = AppTokens.mint(EmbeddedHub.JWT_SECRET, "alice", Duration.ofMinutes(5));
            final var app = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "alice", appToken);
            try {
                assertThat(Mqtt.subscribe(app, Topics.aggregatesFilter(device.id())).code()).isEqualTo(1);
                assertThat(Mqtt.subscribe(app, "aggregates/#").code()).isEqualTo(NOT_AUTHORIZED);
            } finally {
                Mqtt.disconnect(app);
            }
        }
    }

    @Test
    void invalidConfigurationKeepsTheExtensionFromStartingAndNobodyGetsIn() throws Exception {
        try (EmbeddedHub hub = EmbeddedHub.withExtensionFolder(extensionFolder(), config("0"), false)) {
            final ProvisionedDevice device = hub.provision("locked-out", "alice");

            // Without a started security extension HiveMQ lets no client in.
            assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                    .isEqualTo(NOT_AUTHORIZED);
        }
    }
}
