package io.pulsehub.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MetricSummary;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the simulator reports when the hub says no: at CONNECT, at PUBLISH and at SUBSCRIBE. */
class RefusalsIT {

    private static final long WINDOW_START = 1_732_330_000_000L;

    @TempDir
    static Path folder;

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(folder.resolve("hivemq"), GatekeeperExtension.embedded());
        final MqttClient bridge = new MqttClient(broker.url(), "it-bridge", new MemoryPersistence());
        bridge.connect(new MqttConnectionOptions());
        for (final String window : new String[]{"10s", "1m"}) {
            final Aggregate aggregate = new Aggregate("d1", window, WINDOW_START, WINDOW_START + 10_000, 0,
                    Map.of("temperature", new MetricSummary(6, 130.2, 21.0, 22.3, 21.7, 22.1)));
            final MqttMessage message = new MqttMessage(aggregate.toJson(), 1, true, null);
            bridge.publish(Topics.aggregate("d1", window), message);
        }
        bridge.disconnect();
        bridge.close();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3", "5"})
    void aWrongTokenIsReportedWithTheRefusalAndExitCode2(final String version) throws Exception {
        final Path credentials = credentials("wrong-token.jsonl", """
                {"id":"good-1","token":"fine"}
                {"id":"bad-1","token":"wrong"}
                {"id":"bad-2","token":"wrong"}
                """);

        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--count", "5", "--mqtt-version",
                version, "--mqtt-url", broker.url());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).as(cli.toString())
                .contains("error: device bad-1 could not connect to " + broker.url()
                        + ": refused by the hub: bad user name or password")
                .contains("(and 1 more device)");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void negativePubacksCountAsFailedWithTheirReasonAndExitCode1() throws Exception {
        final Path credentials = credentials("refused.jsonl", """
                {"id":"refused-1","token":"t"}
                {"id":"accepted-1","token":"t"}
                """);
        final Path json = folder.resolve("refused-summary.json");

        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--count", "10", "--rate", "0",
                "--mqtt-url", broker.url(), "--json", json.toString());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_NOT_ACKNOWLEDGED);
        assertThat(cli.out()).as(cli.toString())
                .containsPattern("(?m)^\\s+sent\\s+20$")
                .containsPattern("(?m)^\\s+acked\\s+10$")
                .containsPattern("(?m)^\\s+failed\\s+10$")
                .contains("failed 10 × not authorized: " + GatekeeperExtension.PUBLISH_REASON);
        assertThat(Files.readString(json)).contains("\"failed\" : 10")
                .contains("\"not authorized: " + GatekeeperExtension.PUBLISH_REASON + "\" : 10");
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3", "5"})
    void publishesWhoseConnectionIsLostBeforeTheAckCountAsFailedWithExitCode1(final String version)
            throws Exception {
        final Path credentials = credentials("dropped-" + version + ".jsonl", """
                {"id":"dropped-%s","token":"t"}
                """.formatted(version));

        // One reading: with more, how many are in flight when the hub disconnects depends on timing.
        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--count", "1", "--mqtt-version",
                version, "--mqtt-url", broker.url());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_NOT_ACKNOWLEDGED);
        assertThat(cli.err()).as(cli.toString()).contains("device dropped-" + version + " lost its connection");
        assertThat(cli.out()).as(cli.toString())
                .containsPattern("(?m)^\\s+sent\\s+1$")
                .containsPattern("(?m)^\\s+acked\\s+0$")
                .containsPattern("(?m)^\\s+failed\\s+1$")
                .containsPattern("(?m)^\\s+connection losses\\s+1$")
                .contains("failed 1 × connection lost before the acknowledgement");
    }

    @Test
    void watchPrintsEachAggregateAsOneReadableLine() {
        final Cli cli = Cli.run(Map.of("HUB_APP_TOKEN", "any-token", "HUB_MQTT_URL", broker.url()),
                "watch", "--device", "d1", "--window", "10s", "--duration", "1500ms");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_OK);
        assertThat(cli.err()).contains("watching aggregates/d1/10s");
        assertThat(cli.out().lines().toList()).as(cli.toString()).hasSize(1);
        assertThat(cli.out()).containsPattern("^\\d\\d:\\d\\d:\\d\\d–\\d\\d:\\d\\d:\\d\\d  d1  10s  temperature mean "
                + "21\\.7 min 21 max 22\\.3 count 6  \\(retained\\)");
    }

    @Test
    void aRefusedSubscriptionPrintsTheReasonAndExitsWith1() {
        final Cli cli = Cli.run(Map.of("HUB_MQTT_URL", broker.url()),
                "watch", "--token", "any-token", "--device", "d1," + GatekeeperExtension.SECRET_DEVICE);

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_NOT_ACKNOWLEDGED);
        assertThat(cli.err()).as(cli.toString()).contains("subscription refused: aggregates/"
                + GatekeeperExtension.SECRET_DEVICE + "/#: not authorized (" + GatekeeperExtension.SUBSCRIBE_REASON);
        assertThat(cli.err()).doesNotContain("aggregates/d1/#: not authorized");
    }

    @Test
    void watchWithAWrongTokenIsRefusedAtLoginWithExitCode2() {
        final Cli cli = Cli.run("watch", "--token", GatekeeperExtension.WRONG_PASSWORD, "--device", "d1",
                "--mqtt-url", broker.url());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).as(cli.toString()).contains("error: the hub refused the app's login at " + broker.url());
    }

    private static Path credentials(final String name, final String lines) throws Exception {
        return Files.writeString(folder.resolve(name), lines);
    }
}
