package io.pulsehub.e2e;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.MetricSummary;
import io.pulsehub.contract.Topics;
import io.pulsehub.testsupport.JavaProcess;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Offline-first devices through the whole hub: the simulator's devices go offline after ten readings, buffer the next
 * fifty with their own {@code ts}, and upload them as array payloads. Every reading is stored at its own time, and
 * a window that was already published when its late readings arrived is published again, corrected, with a higher
 * revision.
 */
class FaultOfflineUploadIT {

    private static final String WINDOW = "2s";
    private static final long WINDOW_MS = 2_000;
    private static final List<String> DEVICES = List.of("fault-offline-1", "fault-offline-2");

    private static Hub hub;

    @BeforeAll
    static void startHub() throws Exception {
        hub = Hub.start(WINDOW);
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void bufferedReadingsAreStoredAtTheirOwnTimesAndLateWindowsAreRepublished() throws Exception {
        final Path work = Files.createTempDirectory("pulsehub-offline-");
        final Path credentials = work.resolve("devices.jsonl");
        final StringBuilder lines = new StringBuilder();
        for (final String device : DEVICES) {
            lines.append("{\"id\":\"").append(device).append("\",\"token\":\"").append(hub.provision(device, "ops"))
                    .append("\"}\n");
        }
        Files.writeString(credentials, lines);
        final FaultAggregates published = new FaultAggregates();
        final MqttAsyncClient app = Clients.appV5(hub, AppTokens.mint(Hub.JWT_SECRET, "ops", Duration.ofHours(1)));
        app.setCallback(published.callback());
        for (final String device : DEVICES) {
            app.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.aggregate(device, WINDOW), 1)}, null,
                    null, new MqttProperties()).waitForCompletion(15_000);
        }

        final Path root = Path.of(System.getProperty("pulsehub.root", "..")).toAbsolutePath().normalize();
        final JavaProcess simulator = JavaProcess.builder(root.resolve("device-simulator/target/device-simulator.jar"))
                .args("run", "--credentials", credentials.toString(), "--count", "60", "--rate", "10",
                        "--offline-after", "10", "--offline-for", "5s", "--upload-batch", "20",
                        "--mqtt-url", hub.mqttUrl(), "--quiet")
                .logFile(work.resolve("simulator.log"))
                .build()
                .start();
        try {
            await("simulator run finished").atMost(Duration.ofSeconds(90)).until(() -> !simulator.isAlive());
        } finally {
            simulator.close();
        }
        final String summary = simulator.logTail(40);
        assertThat(summary).as(summary)
                .contains("100 readings buffered, 100 uploaded (acknowledged) in 6 array publishes")
                .containsPattern("(?m)^\\s+acked\\s+26$");

        final Map<String, TreeMap<Long, Double>> seqByTime = new TreeMap<>();
        await("all 60 readings of each device in InfluxDB").atMost(Duration.ofSeconds(30)).until(() -> {
            for (final String device : DEVICES) {
                final TreeMap<Long, Double> points = new TreeMap<>();
                hub.influx.rows(Hub.DB, "SELECT seq FROM telemetry WHERE device = '" + device + "'")
                        .forEach(r -> points.put(((Number) r.get("time")).longValue(),
                                ((Number) r.get("seq")).doubleValue()));
                seqByTime.put(device, points);
            }
            return seqByTime.values().stream().allMatch(p -> p.size() == 60);
        });
        int republished = 0;
        for (final String device : DEVICES) {
            final TreeMap<Long, Double> points = seqByTime.get(device);
            assertThat(points.values()).as("seq in time order: every reading once, at its own ts")
                    .containsExactlyElementsOf(java.util.stream.DoubleStream.iterate(1, s -> s + 1).limit(60)
                            .boxed().toList());
            final List<Long> times = new ArrayList<>(points.keySet());
            // Taken 100 ms apart while offline too: the buffered readings were not stamped at upload time.
            assertThat(times.get(59) - times.get(10)).isBetween(4_000L, 6_500L);

            final long lastLive = times.get(9);
            final long firstBuffered = times.get(10);
            final long sharedWindow = Math.floorDiv(lastLive, WINDOW_MS) * WINDOW_MS;
            final boolean windowGotLateReadings = Math.floorDiv(firstBuffered, WINDOW_MS) * WINDOW_MS == sharedWindow;
            final TreeMap<Long, List<Double>> windows = new TreeMap<>();
            points.forEach((time, seq) -> windows.computeIfAbsent(Math.floorDiv(time, WINDOW_MS) * WINDOW_MS,
                    w -> new ArrayList<>()).add(seq));
            await(device + ": the latest revision of every window equals its raw points").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> {
                        for (final Map.Entry<Long, List<Double>> window : windows.entrySet()) {
                            final Aggregate aggregate = published.latest().stream()
                                    .filter(a -> a.device().equals(device) && a.start() == window.getKey())
                                    .findFirst().orElseThrow(() -> new AssertionError(device + " window "
                                            + window.getKey() + " not published"));
                            final MetricSummary seq = aggregate.metrics().get("seq");
                            assertThat(seq.count()).isEqualTo(window.getValue().size());
                            assertThat(seq.sum()).isCloseTo(window.getValue().stream().mapToDouble(d -> d).sum(),
                                    within(1e-9));
                            assertThat(seq.last()).isEqualTo(window.getValue().get(window.getValue().size() - 1));
                        }
                    });
            if (windowGotLateReadings) {
                final Aggregate corrected = published.latest().stream()
                        .filter(a -> a.device().equals(device) && a.start() == sharedWindow).findFirst().orElseThrow();
                assertThat(corrected.revision()).as(device + ": window " + sharedWindow + " was published with the "
                        + "live readings, then again with the uploaded ones").isGreaterThanOrEqualTo(1);
                republished++;
            }
        }
        System.out.println("Offline upload: windows republished with a higher revision: " + republished);
        Clients.closeQuietly(app);
    }
}
