package io.pulsehub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every query of every provisioned dashboard, panel targets and template variables alike, sent the way Grafana sends
 * it to the InfluxDB of a real hub that devices have just published to, and each must return data. Nothing is
 * written to InfluxDB by the test: the readings go in over MQTT, the aggregates and the pipeline numbers are what
 * the bridge writes by itself, the broker numbers what the bridge finds in Redis, where the broker left them.
 */
class DashboardQueriesIT {

    private static final String WINDOW = "2s";
    private static final List<String> DEVICES = List.of("dash-kitchen", "dash-wrist.7");
    private static final int READINGS_PER_ROUND = 10;
    private static final Duration DATA_WITHIN = Duration.ofSeconds(40);
    /** The minimum interval of the time series panels. */
    private static final String PANEL_INTERVAL = "10s";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Hub hub;

    @BeforeAll
    static void startHubAndPublish() throws Exception {
        // The bridge reports its pipeline numbers every 10 s by default (the broker every 5 s, Hub makes that 1 s);
        // sooner keeps the test short.
        hub = Hub.start(WINDOW, Map.of("HUB_PIPELINE_METRICS_INTERVAL", "1s"));
        final Map<String, String> tokens = new LinkedHashMap<>();
        for (final String device : DEVICES) {
            tokens.put(device, hub.provision(device, "dash-owner"));
        }
        // A login with a wrong token, so that the auth failures panel counts a real refusal.
        assertThatThrownBy(() -> Clients.deviceV5(hub, DEVICES.get(0), DeviceTokens.generate()))
                .isInstanceOf(MqttException.class);
        publishReadings(tokens, 0);
        await("aggregates of both devices, a pipeline point of the bridge that consumed them, and a broker sample "
                + "with the failed login").atMost(DATA_WITHIN).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    assertThat(hub.influx.rows(Hub.DB, "SELECT count(\"temperature_count\") FROM \"aggregates_"
                            + WINDOW + "\" GROUP BY \"device\"")).hasSize(DEVICES.size());
                    assertThat(hub.influx.rows(Hub.DB, "SELECT \"backlog\" FROM \"pulsehub_pipeline\" "
                            + "WHERE \"ingest_rate\" > 0")).isNotEmpty();
                    assertThat(hub.influx.rows(Hub.DB, "SELECT \"connected_clients\" FROM \"pulsehub_broker\" "
                            + "WHERE \"auth_failed_total\" > 0")).isNotEmpty();
                });
        // A second round, so that panels over "the last minute" see readings however long the wait above took.
        publishReadings(tokens, 1);
        await("every reading stored").atMost(DATA_WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(hub.influx.rows(Hub.DB, "SELECT count(\"temperature\") FROM \"telemetry\""))
                        .singleElement().extracting(row -> ((Number) row.get("count")).longValue())
                        .isEqualTo(2L * READINGS_PER_ROUND * DEVICES.size()));
        // Counter panels take the difference between intervals: broker samples must span two of them.
        await("broker samples in two " + PANEL_INTERVAL + " intervals").atMost(DATA_WITHIN)
                .pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                        assertThat(hub.influx.rows(Hub.DB, "SELECT non_negative_difference(max(\"auth_failed_total\")) "
                                + "FROM \"pulsehub_broker\" WHERE time > now() - 1h GROUP BY time(" + PANEL_INTERVAL
                                + ") fill(none)")).isNotEmpty());
    }

    private static void publishReadings(final Map<String, String> tokens, final int round) throws Exception {
        for (final Map.Entry<String, String> device : tokens.entrySet()) {
            final MqttAsyncClient client = Clients.deviceV5(hub, device.getKey(), device.getValue());
            try {
                for (int i = 0; i < READINGS_PER_ROUND; i++) {
                    // No ts: broker time, so the readings fall into "the last minute" of the stat panels.
                    final String reading = "{\"temperature\": " + (20 + round + i * 0.5) + ", \"humidity\": "
                            + (40 + i) + "}";
                    final MqttMessage message = new MqttMessage(reading.getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    client.publish(Topics.telemetry(device.getKey()), message).waitForCompletion(15_000);
                }
            } finally {
                Clients.closeQuietly(client);
            }
        }
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @TestFactory
    List<DynamicTest> everyDashboardQueryReturnsData() throws Exception {
        final List<DynamicTest> tests = new ArrayList<>();
        final List<DashboardFiles.Dashboard> dashboards = DashboardFiles.all(ComposeFile.repositoryRoot());
        assertThat(dashboards).hasSize(3);
        for (final DashboardFiles.Dashboard dashboard : dashboards) {
            final String name = dashboard.file().getFileName().toString();
            final Map<String, List<String>> options = new LinkedHashMap<>();
            final Set<String> multi = new HashSet<>();
            // Variables resolve in order, as Grafana resolves them; each must offer at least one value.
            for (final JsonNode variable : dashboard.variables()) {
                final String variableName = variable.path("name").asText();
                final String query = DashboardFiles.interpolate(DashboardFiles.variableQuery(variable),
                        rangeStart(), System.currentTimeMillis(), 1_000, first(options), multi);
                final List<String> values = DashboardFiles.variableValues(variable,
                        JSON.readTree(hub.influx.queryJson(Hub.DB, query)));
                tests.add(DynamicTest.dynamicTest(name + " variable $" + variableName + ": " + query,
                        () -> assertThat(values).as(query).isNotEmpty()));
                options.put(variableName, values);
                if (variable.path("multi").asBoolean() || variable.path("includeAll").asBoolean()) {
                    multi.add(variableName);
                }
            }
            final Map<Integer, String> repeats = dashboard.repeatOf();
            for (final JsonNode panel : dashboard.panels()) {
                for (final JsonNode target : panel.path("targets")) {
                    final long interval = intervalMillis(panel);
                    for (final Map<String, List<String>> selection : selections(options, multi,
                            repeats.get(panel.path("id").asInt()))) {
                        final String query = DashboardFiles.interpolate(target.path("query").asText(), rangeStart(),
                                System.currentTimeMillis(), interval, selection, multi);
                        tests.add(DynamicTest.dynamicTest(name + " panel " + panel.path("id") + " '"
                                + panel.path("title").asText() + "' " + target.path("refId").asText() + ": " + query,
                                () -> assertReturnsValues(query)));
                    }
                }
            }
        }
        return tests;
    }

    /**
     * What Grafana would ask for: every value of a multi-value variable (All is selected), and, since any single
     * value may be chosen, one query per value of every single-value variable and of the repeat variable.
     */
    private static List<Map<String, List<String>>> selections(final Map<String, List<String>> options,
                                                              final Set<String> multi, final String repeat) {
        List<Map<String, List<String>>> selections = List.of(new LinkedHashMap<>());
        for (final Map.Entry<String, List<String>> option : options.entrySet()) {
            final boolean oneAtATime = !multi.contains(option.getKey()) || option.getKey().equals(repeat);
            final List<Map<String, List<String>>> expanded = new ArrayList<>();
            for (final Map<String, List<String>> selection : selections) {
                if (oneAtATime) {
                    for (final String value : option.getValue()) {
                        final Map<String, List<String>> next = new LinkedHashMap<>(selection);
                        next.put(option.getKey(), List.of(value));
                        expanded.add(next);
                    }
                } else {
                    final Map<String, List<String>> next = new LinkedHashMap<>(selection);
                    next.put(option.getKey(), option.getValue());
                    expanded.add(next);
                }
            }
            selections = expanded;
        }
        return selections;
    }

    private static Map<String, List<String>> first(final Map<String, List<String>> options) {
        final Map<String, List<String>> first = new LinkedHashMap<>();
        options.forEach((name, values) -> first.put(name, values.isEmpty() ? List.of() : List.of(values.get(0))));
        return first;
    }

    /** The dashboards open on the last hour. */
    private static long rangeStart() {
        return System.currentTimeMillis() - Duration.ofHours(1).toMillis();
    }

    /**
     * Grafana divides the range by the panel's width in points and never goes below the panel's minimum interval or
     * the data source's (1s); for an hour on a half-width panel that is a few seconds.
     */
    private static long intervalMillis(final JsonNode panel) {
        final String minimum = panel.path("interval").asText("1s");
        final long floor = minimum.endsWith("ms") ? Long.parseLong(minimum.replace("ms", ""))
                : Long.parseLong(minimum.replace("s", "")) * 1000;
        return Math.max(floor, 5_000);
    }

    private static void assertReturnsValues(final String query) throws Exception {
        final JsonNode response = JSON.readTree(hub.influx.queryJson(Hub.DB, query));
        int rows = 0;
        int values = 0;
        for (final JsonNode result : response.path("results")) {
            for (final JsonNode series : result.path("series")) {
                final JsonNode columns = series.path("columns");
                for (final JsonNode row : series.path("values")) {
                    rows++;
                    for (int i = 0; i < columns.size(); i++) {
                        if (!"time".equals(columns.path(i).asText()) && !row.path(i).isNull()) {
                            values++;
                        }
                    }
                }
            }
        }
        assertThat(rows).as("rows of " + query + "\n" + response).isPositive();
        assertThat(values).as("non-null values of " + query + "\n" + response).isPositive();
    }
}
