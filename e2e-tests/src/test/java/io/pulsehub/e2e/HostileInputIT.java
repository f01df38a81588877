package io.pulsehub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.BrokerStats;
import io.pulsehub.contract.InvalidTelemetryException;
import io.pulsehub.contract.Reading;
import io.pulsehub.contract.TelemetryCodec;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More than a thousand hostile inputs against the real hub (broker with the packaged extension, bridge, Redis,
 * InfluxDB as separate processes) over real MQTT 5 and real HTTP. Each input must be refused with a specific reason
 * (a negative PUBACK/PUBREC/SUBACK with a reason string, a DISCONNECT with a reason code, a 4xx with a JSON error) or
 * be stored exactly as sent. Afterwards broker and bridge are healthy, a valid device still gets its readings
 * stored, and InfluxDB holds no measurement, series or field that a valid input did not create.
 * <p>
 * The inputs come from {@link HostileInputs} with a fixed seed, printed at the start; {@code -Dpulsehub.fuzz.seed=N}
 * replays another run.
 */
class HostileInputIT {

    private static final long SEED = Long.getLong("pulsehub.fuzz.seed", 20_251_123L);
    private static final int PAYLOADS = 720;
    private static final int DEVICE_REQUESTS = 260;
    private static final int FUZZ_DEVICES = 8;
    private static final String WINDOW = "1m";
    private static final String OWNER = "fuzz-owner";
    private static final long TIMEOUT_MS = 10_000;
    private static final Duration STORED_WITHIN = Duration.ofSeconds(40);
    private static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    private static final int FIRST_ERROR_CODE = 0x80;
    /** Paho's code for "timed out waiting for a response from the server". */
    private static final int PAHO_TIMED_OUT = 32_000;
    /** Broker time's sub-millisecond part in {@link #decode}; readings of one payload add their index to it. */
    private static final long BROKER_MARK = 500_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Hub hub;

    /** What one input led to. */
    private record Outcome(boolean accepted, int code, String reason) {

        static Outcome accepted(final int code) {
            return new Outcome(true, code, null);
        }

        static Outcome refused(final int code, final String reason) {
            return new Outcome(false, code, reason);
        }
    }

    /** A device connection that reconnects after the hub closed it, and remembers how it was closed. */
    private static final class Connection implements MqttCallback {

        private final String clientId;
        private final String username;
        private final String password;
        private final List<MqttDisconnectResponse> disconnects = new CopyOnWriteArrayList<>();
        private MqttAsyncClient client;

        Connection(final String clientId, final String username, final String password) {
            this.clientId = clientId;
            this.username = username;
            this.password = password;
        }

        MqttAsyncClient client() throws MqttException {
            // A connection the hub has closed, or is closing, would pin its DISCONNECT on the next input.
            if (client != null && client.isConnected() && disconnects.isEmpty()) {
                return client;
            }
            closeQuietly();
            disconnects.clear();
            client = new MqttAsyncClient(hub.mqttUrl(), clientId, new MemoryPersistence());
            client.setCallback(this);
            final MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(username);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            options.setCleanStart(true);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(10);
            client.connect(options).waitForCompletion(TIMEOUT_MS);
            return client;
        }

        /** The DISCONNECT the hub sent, if it sent one (it may arrive just after the publish failed). */
        MqttDisconnectResponse awaitDisconnect() {
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> !disconnects.isEmpty());
            } catch (final ConditionTimeoutException e) {
                return null;
            }
            return disconnects.get(0);
        }

        void closeQuietly() {
            if (client == null) {
                return;
            }
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1_000, true);
                }
                client.close(true);
            } catch (final MqttException ignored) {
                // already gone
            }
            client = null;
        }

        @Override
        public void disconnected(final MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(final MqttException exception) {
        }

        @Override
        public void messageArrived(final String topic, final MqttMessage message) {
        }

        @Override
        public void deliveryComplete(final IMqttToken token) {
        }

        @Override
        public void connectComplete(final boolean reconnect, final String serverUri) {
        }

        @Override
        public void authPacketArrived(final int reasonCode, final MqttProperties properties) {
        }
    }

    /** A telemetry payload the hub acknowledged: it must be in InfluxDB exactly as the contract decodes it. */
    private record Accepted(String deviceId, String label, List<Reading> readings) {
    }

    private final List<String> problems = new ArrayList<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private final Map<String, Integer> refusalReasons = new LinkedHashMap<>();
    private int inputs;

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
    void hostileInputsAreRefusedWithAReasonOrStoredExactlyAndLeaveNoTrace() throws Exception {
        System.out.println("HostileInputIT seed=" + SEED + " (replay with -Dpulsehub.fuzz.seed=" + SEED + ")");
        final long started = System.nanoTime();
        final HostileInputs generator = new HostileInputs(SEED, System.currentTimeMillis() - 3_600_000L);
        final List<Connection> devices = new ArrayList<>();
        final Set<String> validDevices = new TreeSet<>();
        for (int i = 0; i < FUZZ_DEVICES; i++) {
            final String id = "fuzz-" + i;
            devices.add(new Connection(id, id, hub.provision(id, OWNER)));
            validDevices.add(id);
        }
        try {
            telemetry(generator.payloads(PAYLOADS), devices);
            wrongTopics(devices.get(0));
            wrongFilters();
            deviceRequests(generator.deviceRequests(DEVICE_REQUESTS));
        } finally {
            devices.forEach(Connection::closeQuietly);
        }
        System.out.printf("HostileInputIT: %d inputs in %d ms, %d accepted; refusals by reason:%n", inputs,
                (System.nanoTime() - started) / 1_000_000, accepted.size());
        refusalReasons.forEach((reason, count) -> System.out.printf("  %5d  %s%n", count, reason));

        assertThat(inputs).isGreaterThanOrEqualTo(1_000);
        assertThat(problems).as("inputs neither refused with a reason nor accepted").isEmpty();

        hubIsHealthy(validDevices);
        everyAcceptedReadingIsStoredExactly();
        influxHoldsOnlyWhatValidInputsCreated(validDevices);
    }

    // ------------------------------------------------------------------------------------------------- MQTT

    private void telemetry(final List<HostileInputs.Payload> payloads, final List<Connection> devices) {
        for (int i = 0; i < payloads.size(); i++) {
            final HostileInputs.Payload payload = payloads.get(i);
            final Connection device = devices.get(i % devices.size());
            final Outcome outcome = publish(device, Topics.telemetry(device.clientId), payload.bytes(),
                    payload.qos(), payload.label());
            if (outcome == null) {
                continue;
            }
            if (outcome.accepted()) {
                final List<Reading> readings = decode(payload);
                if (readings == null) {
                    problems.add(payload.label() + ": acknowledged although the contract cannot decode it");
                } else {
                    accepted.add(new Accepted(device.clientId, payload.label(), readings));
                }
            }
        }
    }

    /**
     * The readings as the contract reads them. The broker time given here has a sub-millisecond part no reading
     * with its own ts (whole milliseconds) can have, which tells the two kinds apart.
     */
    private static List<Reading> decode(final HostileInputs.Payload payload) {
        try {
            return TelemetryCodec.decode(payload.bytes(), System.currentTimeMillis() * 1_000_000L + BROKER_MARK);
        } catch (final InvalidTelemetryException e) {
            return null;
        }
    }

    private static boolean hasOwnTime(final Reading reading) {
        return reading.timeNanos() % 1_000_000L == 0;
    }

    /** Every topic a device may not publish to: NOT_AUTHORIZED with a reason, after which HiveMQ closes it. */
    private void wrongTopics(final Connection device) {
        for (final String topic : HostileInputs.wrongTopics(device.clientId, "fuzz-1")) {
            final String label = "publish to " + HostileInputs.printable(topic);
            final Outcome outcome = publish(device, topic, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 1, label);
            if (outcome != null && outcome.accepted()) {
                problems.add(label + ": accepted");
            }
            // HiveMQ closes an MQTT 5 connection after an unauthorized PUBLISH; start the next one afresh.
            device.closeQuietly();
        }
    }

    private Outcome publish(final Connection device, final String topic, final byte[] payload, final int qos,
                            final String label) {
        inputs++;
        final MqttAsyncClient client;
        try {
            client = device.client();
        } catch (final MqttException e) {
            problems.add(label + ": cannot (re)connect " + device.clientId + ": " + e);
            return null;
        }
        final IMqttToken token;
        try {
            token = client.publish(topic, new MqttMessage(payload, qos, false, null));
        } catch (final MqttException | IllegalArgumentException e) {
            // Paho refused to send it; the hub never saw it.
            inputs--;
            return null;
        }
        try {
            token.waitForCompletion(TIMEOUT_MS);
        } catch (final MqttException e) {
            if (e.getReasonCode() == PAHO_TIMED_OUT) {
                problems.add(label + ": no answer within " + TIMEOUT_MS + " ms");
                device.closeQuietly();
                return null;
            }
            if (e.getReasonCode() >= FIRST_ERROR_CODE && e.getReasonCode() <= 0xFF) {
                // Paho reports a negative PUBREC (QoS 2) as an exception carrying only the reason code; the
                // reason string the hub sent with it is dropped by Paho, so the code is all there is to check.
                return refused(label, e.getReasonCode(), "PUBREC reason code " + e.getReasonCode());
            }
            if (token.getReasonCodes() == null) {
                return disconnected(device, label, e);
            }
        }
        final int[] codes = token.getReasonCodes();
        if (codes == null || codes.length == 0) {
            problems.add(label + ": no acknowledgement");
            return null;
        }
        final int code = codes[0];
        if (code < FIRST_ERROR_CODE) {
            if (code != 0 && code != NO_MATCHING_SUBSCRIBERS) {
                problems.add(label + ": unexpected positive code " + code);
            }
            return Outcome.accepted(code);
        }
        final String reason = token.getResponseProperties() == null ? null
                : token.getResponseProperties().getReasonString();
        return refused(label, code, reason);
    }

    /** The publish failed with the connection: only a DISCONNECT with a reason code counts as a refusal. */
    private Outcome disconnected(final Connection device, final String label, final MqttException failure) {
        final MqttDisconnectResponse disconnect = device.awaitDisconnect();
        if (disconnect == null || disconnect.getReturnCode() < FIRST_ERROR_CODE) {
            problems.add(label + ": connection lost without a reason (" + failure + ")");
            return null;
        }
        final String reason = disconnect.getReasonString() != null ? disconnect.getReasonString()
                : "DISCONNECT 0x" + Integer.toHexString(disconnect.getReturnCode());
        return refused(label, disconnect.getReturnCode(), reason);
    }

    private Outcome refused(final String label, final int code, final String reason) {
        if (reason == null || reason.isBlank()) {
            problems.add(label + ": refused with code 0x" + Integer.toHexString(code) + " but no reason");
        } else {
            refusalReasons.merge("0x" + Integer.toHexString(code) + " " + shorten(reason), 1, Integer::sum);
        }
        return Outcome.refused(code, reason);
    }

    /** Reasons that quote the input differ per input; group them by their fixed part. */
    private static String shorten(final String reason) {
        int end = reason.length();
        for (final char cut : new char[]{'\'', '(', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'}) {
            final int at = reason.indexOf(cut);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return end == reason.length() ? reason : reason.substring(0, end) + "…";
    }

    /** Subscriptions that would reach other owners' devices, or are malformed: refused, never narrowed. */
    private void wrongFilters() throws Exception {
        final String foreign = "fuzz-foreign";
        hub.provision(foreign, "someone-else");
        final Connection app = new Connection("app-fuzz", "app",
                AppTokens.mint(Hub.JWT_SECRET, OWNER, Duration.ofMinutes(10)));
        try {
            for (final String filter : HostileInputs.wrongFilters(foreign)) {
                inputs++;
                final String label = "subscribe to " + filter;
                final IMqttToken token;
                try {
                    token = app.client().subscribe(new MqttSubscription(filter, 1));
                } catch (final IllegalArgumentException refusedByPaho) {
                    inputs--;
                    continue;
                }
                try {
                    token.waitForCompletion(TIMEOUT_MS);
                } catch (final MqttException e) {
                    if (token.getReasonCodes() == null) {
                        disconnected(app, label, e);
                        continue;
                    }
                }
                final int code = token.getReasonCodes()[0];
                if (code < FIRST_ERROR_CODE) {
                    problems.add(label + ": granted QoS " + code);
                    continue;
                }
                refused(label, code, token.getResponseProperties() == null ? null
                        : token.getResponseProperties().getReasonString());
            }
        } finally {
            app.closeQuietly();
        }
    }

    // ------------------------------------------------------------------------------------------------- HTTP

    private void deviceRequests(final List<HostileInputs.DeviceRequest> requests) throws Exception {
        for (final HostileInputs.DeviceRequest request : requests) {
            inputs++;
            final HttpRequest.Builder post = HttpRequest.newBuilder(hub.http("/api/devices"))
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", request.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
            if (request.authorized()) {
                post.header("Authorization", "Bearer " + Hub.ADMIN_TOKEN);
            }
            final HttpResponse<String> response = HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201) {
                provisionedExactlyAsSent(request, response);
            } else if (response.statusCode() >= 400 && response.statusCode() < 500) {
                final String reason = errorOf(response.body());
                if (reason == null) {
                    problems.add(request.label() + ": " + response.statusCode() + " without an error and message: "
                            + HostileInputs.printable(response.body()));
                } else {
                    refusalReasons.merge("HTTP " + response.statusCode() + " " + reason, 1, Integer::sum);
                }
            } else {
                problems.add(request.label() + ": HTTP " + response.statusCode() + " "
                        + HostileInputs.printable(response.body()));
            }
        }
    }

    /** The {@code error} code of an API error body when it also has a message; {@code null} otherwise. */
    private static String errorOf(final String body) {
        try {
            final JsonNode error = JSON.readTree(body);
            if (error != null && error.path("error").isTextual() && !error.path("error").asText().isBlank()
                    && error.path("message").isTextual() && !error.path("message").asText().isBlank()) {
                return error.path("error").asText();
            }
        } catch (final IOException notJson) {
            return null;
        }
        return null;
    }

    private void provisionedExactlyAsSent(final HostileInputs.DeviceRequest request,
                                          final HttpResponse<String> response) throws Exception {
        final JsonNode sent = JSON.readTree(request.body());
        final JsonNode created = JSON.readTree(response.body());
        final String id = sent.path("id").asText();
        final String owner = sent.path("owner").asText();
        if (!id.equals(created.path("id").asText()) || !owner.equals(created.path("owner").asText())) {
            problems.add(request.label() + ": provisioned as " + HostileInputs.printable(response.body()));
            return;
        }
        final HttpResponse<String> found = HTTP.send(HttpRequest.newBuilder(
                        hub.http("/api/devices/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")))
                .header("Authorization", "Bearer " + Hub.ADMIN_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        final JsonNode stored = found.statusCode() == 200 ? JSON.readTree(found.body()) : null;
        if (stored == null || !id.equals(stored.path("id").asText()) || !owner.equals(stored.path("owner").asText())) {
            problems.add(request.label() + ": stored as " + found.statusCode() + " "
                    + HostileInputs.printable(found.body()));
        }
    }

    // ------------------------------------------------------------------------------------------------- afterwards

    private static void hubIsHealthy(final Set<String> validDevices) throws Exception {
        assertThat(hub.broker.isAlive()).as("broker process").isTrue();
        assertThat(hub.bridge.isAlive()).as("bridge process").isTrue();
        await("bridge healthy").atMost(Duration.ofSeconds(30)).until(() -> hub.healthStatus() == 200);

        final String control = "fuzz-control";
        final MqttAsyncClient device = Clients.deviceV5(hub, control, hub.provision(control, OWNER));
        validDevices.add(control);
        final long ts = System.currentTimeMillis() - 1_000;
        try {
            final IMqttToken ack = device.publish(Topics.telemetry(control),
                    ("{\"ts\":" + ts + ",\"temperature\":21.5}").getBytes(StandardCharsets.UTF_8), 1, false);
            ack.waitForCompletion(TIMEOUT_MS);
            assertThat(ack.getReasonCodes()[0]).isIn(0, NO_MATCHING_SUBSCRIBERS);
        } finally {
            Clients.closeQuietly(device);
        }
        await("control reading stored").atMost(STORED_WITHIN).until(() -> !hub.influx.rows(Hub.DB,
                "SELECT temperature FROM telemetry WHERE \"device\"::tag = '" + control + "' AND time = " + ts
                        + "ms").isEmpty());
    }

    /** Readings with their own ts at exactly that time; readings without one among the device's other rows. */
    private void everyAcceptedReadingIsStoredExactly() {
        await("every acknowledged reading in InfluxDB").atMost(STORED_WITHIN).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(missingReadings()).isEmpty());
    }

    private List<String> missingReadings() throws IOException {
        final Map<String, List<Map<String, Double>>> rowsByDevice = new HashMap<>();
        final List<String> missing = new ArrayList<>();
        for (final Accepted payload : accepted) {
            final List<Map<String, Double>> rows = rowsByDevice.computeIfAbsent(payload.deviceId(), this::rowsOf);
            for (final Reading reading : payload.readings()) {
                final boolean ownTime = hasOwnTime(reading);
                final boolean found = rows.stream().anyMatch(row -> (!ownTime
                        || row.get("time") == reading.timeNanos() / 1_000_000L) && sameMetrics(row, reading));
                if (!found) {
                    missing.add(payload.label() + " on " + payload.deviceId() + ": " + reading);
                }
            }
        }
        return missing;
    }

    private static boolean sameMetrics(final Map<String, Double> row, final Reading reading) {
        if (row.size() - 1 != reading.metrics().size()) {
            return false;
        }
        for (final Map.Entry<String, Double> metric : reading.metrics().entrySet()) {
            final Double stored = row.get(metric.getKey());
            // == rather than equals: InfluxDB prints -0.0 as -0, which reads back as 0; both are the same number.
            if (stored == null || stored.doubleValue() != metric.getValue().doubleValue()) {
                return false;
            }
        }
        return true;
    }

    /** The device's rows as metric → value plus "time" (ms), nulls left out; numbers parsed as doubles. */
    private List<Map<String, Double>> rowsOf(final String deviceId) {
        final JsonNode response;
        try {
            response = JSON.readTree(hub.influx.queryJson(Hub.DB,
                    "SELECT * FROM telemetry WHERE \"device\"::tag = '" + deviceId + "'"));
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
        final List<Map<String, Double>> rows = new ArrayList<>();
        for (final JsonNode series : response.path("results").path(0).path("series")) {
            final List<String> columns = new ArrayList<>();
            series.path("columns").forEach(column -> columns.add(column.asText()));
            for (final JsonNode values : series.path("values")) {
                final Map<String, Double> row = new HashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    if (values.path(i).isNumber()) {
                        row.put(columns.get(i), values.path(i).doubleValue());
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private void influxHoldsOnlyWhatValidInputsCreated(final Set<String> validDevices) throws IOException {
        final Set<String> metrics = new HashSet<>(Set.of("temperature"));
        accepted.forEach(payload -> payload.readings().forEach(reading -> metrics.addAll(reading.metrics().keySet())));
        final String aggregates = "aggregates_" + WINDOW;

        // The hub's own numbers (issue 6: the bridge's pipeline, the brokers' connections and logins) are the
        // measurements no input creates.
        assertThat(column(query("SHOW MEASUREMENTS"), 0))
                .isSubsetOf("telemetry", aggregates, "pulsehub_pipeline", "pulsehub_broker");

        for (final String key : column(query("SHOW SERIES"), 0)) {
            if (key.startsWith("pulsehub_pipeline,")) {
                assertThat(key).matches("pulsehub_pipeline,bridge=[A-Za-z0-9_.-]+");
                continue;
            }
            if (key.startsWith("pulsehub_broker,")) {
                assertThat(key).matches("pulsehub_broker,broker=[A-Za-z0-9_.:-]+");
                continue;
            }
            final String[] parts = key.split(",device=", -1);
            assertThat(parts).as("series %s", key).hasSize(2);
            assertThat(parts[0]).as("series %s", key).isIn("telemetry", aggregates);
            assertThat(validDevices).as("series %s", key).contains(parts[1]);
        }

        // Besides the statistics, an aggregate point carries the bridge's own revision counter (issue 4).
        final Set<String> allowedAggregateFields = new HashSet<>(Set.of("revision"));
        metrics.forEach(metric -> {
            for (final String stat : List.of("count", "sum", "min", "max", "mean", "last")) {
                allowedAggregateFields.add(metric + "_" + stat);
            }
        });
        final JsonNode fields = query("SHOW FIELD KEYS");
        for (final JsonNode series : fields.path("results").path(0).path("series")) {
            final String measurement = series.path("name").asText();
            final List<String> keys = new ArrayList<>();
            series.path("values").forEach(value -> keys.add(value.path(0).asText()));
            if (measurement.equals("telemetry")) {
                assertThat(keys).as("fields of telemetry no valid input created").filteredOn(key -> !metrics
                        .contains(key)).isEmpty();
            } else if (measurement.equals("pulsehub_broker")) {
                assertThat(keys).as("fields of pulsehub_broker").isSubsetOf(BrokerStats.FIELDS);
            } else if (measurement.equals(aggregates)) {
                assertThat(keys).as("fields of %s no valid input created", aggregates)
                        .filteredOn(key -> !allowedAggregateFields.contains(key)).isEmpty();
            }
        }
        final String everything = query("SHOW SERIES").toString() + query("SHOW MEASUREMENTS") + fields;
        for (final String marker : HostileInputs.INJECTION_MARKERS) {
            assertThat(everything).as("injected content").doesNotContain(marker);
        }
    }

    private static JsonNode query(final String influxql) throws IOException {
        return JSON.readTree(hub.influx.queryJson(Hub.DB, influxql));
    }

    /** One column of every series of the first result. */
    private static List<String> column(final JsonNode response, final int index) {
        final List<String> out = new ArrayList<>();
        for (final JsonNode series : response.path("results").path(0).path("series")) {
            for (final Iterator<JsonNode> values = series.path("values").elements(); values.hasNext(); ) {
                out.add(values.next().path(index).asText());
            }
        }
        return out;
    }
}
