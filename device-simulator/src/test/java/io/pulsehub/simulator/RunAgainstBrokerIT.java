package io.pulsehub.simulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.contract.Reading;
import io.pulsehub.contract.TelemetryCodec;
import io.pulsehub.contract.Topics;
import io.pulsehub.testsupport.MqttInbox;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The run command against a real, bare HiveMQ: it accepts any token, so only the simulator is under test. Most tests
 * run in this JVM; two start target/device-simulator.jar in its own JVM, as ./hub and the benchmark do, to cover the
 * manifest class path, the exit code through System.exit, and a stop signal (what Ctrl-C sends) that still prints
 * the summary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunAgainstBrokerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;

    private static TestBroker broker;
    private static Path credentials;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start(folder.resolve("hivemq"));
        credentials = folder.resolve("devices.jsonl");
        Files.writeString(credentials, """
                # three devices; a bare broker takes any token
                {"id":"it-1","owner":"demo","token":"token-1"}
                {"id":"it-2","owner":"demo","token":"token-2"}

                {"id":"it-3","token":"token-3"}
                """);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "MQTT {0}, QoS {1}")
    @CsvSource({"3, 1", "5, 1", "5, 2", "3, 0"})
    void threeDevicesTwentyReadingsEachAreAllAcknowledged(final String version, final String qos) throws Exception {
        final Path json = folder.resolve("summary-" + version + "-" + qos + ".json");

        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--count", "20", "--rate", "50",
                "--mqtt-version", version, "--qos", qos, "--mqtt-url", broker.url(), "--json", json.toString());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_OK);
        assertThat(cli.err()).as(cli.toString()).doesNotContain("lost its connection").doesNotContain("error");
        assertThat(cli.out()).as(cli.toString())
                .doesNotContain("connection losses")
                .containsPattern("(?m)^\\s+sent\\s+60$")
                .containsPattern("(?m)^\\s+acked\\s+60$")
                .containsPattern("(?m)^\\s+failed\\s+0$")
                .containsPattern("latency ms\\s+p50 \\d+\\.\\d\\d  p90 .* p99 .* p99\\.9 .* max \\d+\\.\\d\\d");
        final JsonNode summary = JSON.readTree(json.toFile());
        assertThat(summary.get("devices").asInt()).isEqualTo(3);
        assertThat(summary.get("mqttVersion").asText()).isEqualTo("3".equals(version) ? "3.1.1" : "5");
        assertThat(summary.get("qos").asInt()).isEqualTo(Integer.parseInt(qos));
        assertThat(summary.get("sent").asLong()).isEqualTo(60);
        assertThat(summary.get("acked").asLong()).isEqualTo(60);
        assertThat(summary.get("failed").asLong()).isZero();
        assertThat(summary.get("unacknowledged").asLong()).isZero();
        assertThat(summary.get("durationSeconds").asDouble()).isPositive();
        assertThat(summary.get("ackedPerSecond").asDouble()).isPositive();
        final JsonNode latency = summary.get("latencyMs");
        assertThat(latency.get("count").asLong()).isEqualTo(60);
        assertThat(latency.get("p50").asDouble()).isLessThanOrEqualTo(latency.get("p99").asDouble());
        assertThat(latency.get("p99").asDouble()).isLessThanOrEqualTo(latency.get("p999").asDouble());
        assertThat(latency.get("p999").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
        // a rate of 50/s for 20 readings takes about 0.4 s: the limiter paced them instead of bursting
        assertThat(summary.get("durationSeconds").asDouble()).isGreaterThanOrEqualTo(0.35);
    }

    /** Over WebSocket, Paho reads through the same read-ahead socket (MqttSockets) as over TCP. */
    @ParameterizedTest(name = "MQTT {0} over WebSocket")
    @CsvSource({"3", "5"})
    void overWebSocketEveryReadingIsAcknowledgedToo(final String version) throws Exception {
        final Path json = folder.resolve("summary-ws-" + version + ".json");

        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--count", "20", "--rate", "50",
                "--mqtt-version", version, "--qos", "1", "--mqtt-url", broker.webSocketUrl(), "--json",
                json.toString());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_OK);
        assertThat(cli.err()).as(cli.toString()).doesNotContain("lost its connection").doesNotContain("error");
        final JsonNode summary = JSON.readTree(json.toFile());
        assertThat(summary.get("sent").asLong()).isEqualTo(60);
        assertThat(summary.get("acked").asLong()).isEqualTo(60);
        assertThat(summary.get("failed").asLong()).isZero();
        assertThat(summary.get("connectionLosses").asLong()).isZero();
    }

    @Test
    void everyPublishedReadingReachesASubscriberAndDecodesPerTheContract() throws Exception {
        final Map<String, List<Long>> seqByDevice = new ConcurrentHashMap<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final MqttClient subscriber = new MqttClient(broker.url(), "it-subscriber", new MemoryPersistence());
        subscriber.setCallback(new MqttInbox((topic, message) -> {
            final byte[] payload = message.getPayload();
            try {
                final String device = Topics.deviceOfTelemetry(topic).orElseThrow();
                final List<Reading> readings = TelemetryCodec.decode(payload, System.currentTimeMillis() * 1_000_000L);
                seqByDevice.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>())
                        .add(readings.get(0).metrics().get("seq").longValue());
                if (payload.length < 100 || payload.length > 200) {
                    problems.add("payload of " + payload.length + " bytes: " + new String(payload,
                            StandardCharsets.UTF_8));
                }
            } catch (final Exception e) {
                problems.add(topic + ": " + e);
            }
        }));
        subscriber.connect(new MqttConnectionOptions());
        subscriber.subscribe(new MqttSubscription[]{new MqttSubscription("devices/+/telemetry", 1)});
        try {
            final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--count", "20", "--rate", "0",
                    "--profile", "wearable", "--mqtt-url", broker.url(), "--quiet");
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_OK);
            assertThat(cli.err()).as("--quiet: no progress").doesNotContain("msg/s");

            await().untilAsserted(() -> assertThat(seqByDevice.values().stream()
                    .mapToInt(List::size).sum()).isEqualTo(60));
            assertThat(problems).isEmpty();
            assertThat(seqByDevice).containsOnlyKeys("it-1", "it-2", "it-3");
            seqByDevice.values().forEach(seqs -> assertThat(seqs).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList()));
        } finally {
            subscriber.disconnect();
            subscriber.close();
        }
    }

    @Test
    void progressLineAppearsOnStderrOnceASecondAndTheDurationEndsTheRun() {
        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--devices", "2", "--duration",
                "2200ms", "--rate", "5", "--mqtt-url", broker.url());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_OK);
        assertThat(cli.err()).as(cli.toString())
                .containsPattern("(?m)^\\s+1s  sent \\d+  acked \\d+  failed 0  in flight \\d+  [\\d.]+ msg/s$")
                .containsPattern("(?m)^\\s+2s  sent \\d+  acked \\d+  failed 0");
        // 2 devices at 5/s for 2.2 s: 11 or 12 readings each, depending on where the last tick falls
        assertThat(cli.out()).as(cli.toString()).containsPattern("(?m)^\\s+acked\\s+2[234]$")
                .contains("Summary: 2 thermostat devices, MQTT 5, QoS 1, 5 readings/s per device");
    }

    @Test
    void latenciesCountOnlyPublishesSentAfterTheLatencyAfterTimeButEveryPublishIsCounted() throws Exception {
        final Path json = Files.createTempFile("latency-after", ".json");
        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--devices", "2", "--duration",
                "2s", "--rate", "10", "--latency-after", "1s", "--mqtt-url", broker.url(), "--json", json.toString());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_OK);
        final JsonNode summary = new ObjectMapper().readTree(json.toFile());
        final long acked = summary.get("acked").asLong();
        final long measured = summary.get("latencyMs").get("count").asLong();
        // 2 devices at 10/s for 2 s: about 40 acknowledged, of which the ones sent in the second second are measured.
        assertThat(acked).isBetween(38L, 44L);
        assertThat(measured).isBetween(16L, 24L);
        assertThat(summary.get("latencyAfterSeconds").asDouble()).isEqualTo(1.0);
        assertThat(cli.out()).contains("PUBACK latency ms (sent after 1.0 s)");
    }

    @Test
    void anInFlightWindowLargerThanTheHubAcceptsIsCappedWithANote() {
        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--devices", "1", "--count", "200",
                "--rate", "0", "--max-inflight", "500", "--mqtt-url", broker.url());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_OK);
        assertThat(cli.err()).as(cli.toString()).containsPattern("note: the hub accepts at most \\d+ unacknowledged "
                + "publishes per client \\(its Receive Maximum\\), so --max-inflight 500 is capped to \\d+");
        assertThat(cli.out()).containsPattern("(?m)^\\s+acked\\s+200$");
    }

    /** Last, because it stops the broker the other tests share (a broker start costs seconds). */
    @Test
    @Order(Integer.MAX_VALUE)
    void withTheBrokerStoppedTheRunIsACleanErrorWithExitCode2() throws Exception {
        broker.stop();

        final Cli cli = Cli.run("run", "--credentials", credentials.toString(), "--count", "20",
                "--mqtt-url", broker.url());

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).as(cli.toString())
                .contains("error: cannot reach the hub at " + broker.url())
                .contains("Connection refused")
                .contains("HUB_MQTT_URL")
                .doesNotContain("Exception");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void theJarRunsFromItsManifestAndExitsWith0WhenEverythingWasAcknowledged() throws Exception {
        final Process process = start("run", "--credentials", credentials.toString(), "--count", "5",
                "--rate", "20", "--mqtt-url", broker.url());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).as(output()).isEqualTo(Simulator.EXIT_OK);
        assertThat(stdout()).containsPattern("(?m)^\\s+acked\\s+15$");
    }

    @Test
    void aStopSignalEndsTheRunWithTheSummaryOfWhatWasDone() throws Exception {
        final Process process = start("--credentials", credentials.toString(), "--rate", "20",
                "--mqtt-url", broker.url());
        try {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(stderr()).containsPattern("acked [1-9]"));
        } finally {
            process.destroy(); // SIGTERM, which runs the shutdown hooks as Ctrl-C's SIGINT does
        }

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).as(output()).isEqualTo(128 + 15);
        assertThat(stdout()).as(output())
                .contains("Summary: 3 thermostat devices")
                .containsPattern("(?m)^\\s+acked\\s+[1-9]\\d*$")
                .contains("stopped before the end");
    }

    private static Process start(final String... args) throws Exception {
        final Path jar = Path.of(System.getProperty("device.simulator.jar", "target/device-simulator.jar"));
        assertThat(jar).as("built by mvn package").isRegularFile();
        final List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(folder.resolve("jar-stdout.txt").toFile())
                .redirectError(folder.resolve("jar-stderr.txt").toFile())
                .start();
    }

    private static String stdout() throws Exception {
        return Files.readString(folder.resolve("jar-stdout.txt"));
    }

    private static String stderr() throws Exception {
        return Files.readString(folder.resolve("jar-stderr.txt"));
    }

    private static String output() {
        try {
            return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
        } catch (final Exception e) {
            return e.toString();
        }
    }
}
