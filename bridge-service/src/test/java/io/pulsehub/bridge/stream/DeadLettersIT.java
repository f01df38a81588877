package io.pulsehub.bridge.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.bridge.InfluxNanos;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.StreamLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison entries: an entry delivered more than HUB_BRIDGE_MAX_DELIVERIES times goes to the dead letters with its
 * reason and is acknowledged, whether it was this consumer's or a dead one's; the admin API lists the dead letters
 * and replays them, after which they are written like any entry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLettersIT {

    private static final StreamLayout LAYOUT = new StreamLayout(4);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer " + BridgeApp.ADMIN_TOKEN;
    private static final long TS = System.currentTimeMillis() - 60_000;

    private static BridgeApp.Servers servers;
    private static BridgeApp app;

    @BeforeAll
    static void start() {
        servers = BridgeApp.Servers.start();
        servers.createConsumerGroups(LAYOUT);
        // What a crash loop leaves behind: entries this consumer (bridge-it) or a dead one already had several times.
        delivered("worn-1", "{\"ts\":" + TS + ",\"v\":1.5}", "bridge-it", 5);
        delivered("worn-2", "{\"ts\":" + TS + ",\"v\":2.5}", "bridge-it", 4);
        delivered("worn-3", "{\"ts\":" + TS + ",\"v\":3.5}", "dead-bridge", 5);
        servers.jedis().xadd(LAYOUT.streamKey(2), Map.of("x", "y"), XAddParams.xAddParams());

        final Map<String, Object> settings = BridgeApp.recordingAggregates(servers.settings());
        settings.put("hub.bridge-claim-idle", "1s");
        settings.put("hub.bridge-max-deliveries", "5");
        app = BridgeApp.start(settings);
    }

    @AfterAll
    static void stop() {
        BridgeApp.close(app, servers);
    }

    /** Adds an entry, delivers it to {@code consumer} and sets its delivery count as Redis would after that many. */
    private static void delivered(final String device, final String payload, final String consumer,
                                  final int deliveries) {
        final String stream = LAYOUT.streamOf(device);
        final StreamEntry entry =
                new StreamEntry(device, TS * 1_000_000L + 7, payload.getBytes(StandardCharsets.UTF_8));
        final byte[] id = servers.jedis().xadd(stream.getBytes(StandardCharsets.UTF_8), XAddParams.xAddParams(),
                entry.toFields());
        servers.jedis().xreadGroup(StreamLayout.CONSUMER_GROUP, consumer,
                XReadGroupParams.xReadGroupParams().count(1000),
                Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        servers.jedis().xclaimJustId(stream, StreamLayout.CONSUMER_GROUP, consumer, 0,
                XClaimParams.xClaimParams().retryCount(deliveries), new StreamEntryID(new String(id,
                        StandardCharsets.US_ASCII)));
    }

    private static List<Map<String, Object>> points(final String device) {
        return InfluxNanos.rows(servers.influx(), BridgeApp.DB,
                "SELECT * FROM telemetry WHERE device = '" + device + "'");
    }

    private static long pendingOfGroup() {
        long pending = 0;
        for (int partition = 0; partition < LAYOUT.partitions(); partition++) {
            pending += servers.jedis().xpending(LAYOUT.streamKey(partition), StreamLayout.CONSUMER_GROUP).getTotal();
        }
        return pending;
    }

    private static HttpResponse<String> call(final String method, final String path, final String body,
                                             final String authorization) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return app.send(request);
    }

    private static JsonNode json(final HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static JsonNode ok(final HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String error,
                                    final String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        final JsonNode body = json(response);
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        assertThat(body.get("field").isNull() ? null : body.get("field").asText()).as(response.body())
                .isEqualTo(field);
    }

    private static List<JsonNode> allDeadLetters() {
        final List<JsonNode> entries = new ArrayList<>();
        ok(call("GET", "/api/dlq?limit=1000", null, BEARER)).path("entries").forEach(entries::add);
        return entries;
    }

    private static JsonNode deadLetterOf(final String device) {
        return allDeadLetters().stream().filter(entry -> device.equals(entry.path("device").asText(null)))
                .findFirst().orElseThrow(() -> new AssertionError("no dead letter of " + device));
    }

    @Test
    @Order(1)
    void entriesDeliveredMoreThanTheLimitAreDeadLetteredWithTheirReasonAndAcknowledged() {
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(servers.jedis().xlen(StreamLayout.DEAD_LETTER_STREAM)).isEqualTo(3));
        await().atMost(PATIENCE).until(DeadLettersIT::pendingOfGroup, pending -> pending == 0);

        assertThat(points("worn-1")).isEmpty();
        assertThat(points("worn-3")).isEmpty();
        assertThat(points("worn-2")).hasSize(1).first().satisfies(point -> assertThat(point.get("v")).isEqualTo(2.5));
        final String reason = "delivered 6 times without being written; HUB_BRIDGE_MAX_DELIVERIES is 5";
        assertThat(deadLetterOf("worn-1").path("reason").asText()).isEqualTo(reason);
        // worn-3 was a dead consumer's: taken over (which does not count) and then delivered a sixth time.
        assertThat(deadLetterOf("worn-3").path("reason").asText()).isEqualTo(reason);
    }

    @Test
    @Order(2)
    void listsTheDeadLettersPageByPageWithWhereTheyCameFrom() {
        final JsonNode first = ok(call("GET", "/api/dlq?limit=2", null, BEARER));
        assertThat(first.path("total").asLong()).isEqualTo(3);
        assertThat(first.path("entries")).hasSize(2);
        assertThat(first.path("next").asText()).isEqualTo(first.path("entries").get(1).path("id").asText());
        final JsonNode second = ok(call("GET", "/api/dlq?limit=2&after=" + first.path("next").asText(), null, BEARER));
        assertThat(second.path("entries")).hasSize(1);
        assertThat(second.path("next").isNull()).isTrue();

        final JsonNode worn = deadLetterOf("worn-1");
        assertThat(worn.path("stream").asText()).isEqualTo(LAYOUT.streamOf("worn-1"));
        assertThat(worn.path("originalId").asText()).matches("\\d+-\\d+");
        assertThat(worn.path("payload").asText()).isEqualTo("{\"ts\":" + TS + ",\"v\":1.5}");
        assertThat(worn.path("payloadBytes").asInt()).isEqualTo(worn.path("payload").asText().length());
        assertThat(worn.path("deadAt").asLong()).isEqualTo(Long.parseLong(worn.path("id").asText().split("-")[0]));
        final JsonNode foreign = allDeadLetters().stream().filter(entry -> entry.path("device").isNull())
                .findFirst().orElseThrow();
        assertThat(foreign.path("stream").asText()).isEqualTo(LAYOUT.streamKey(2));
        assertThat(foreign.path("reason").asText()).startsWith("undecodable entry");
        assertThat(foreign.path("payload").isNull()).isTrue();

        assertError(call("GET", "/api/dlq?limit=0", null, BEARER), 400, "invalid_field", "limit");
        assertError(call("GET", "/api/dlq?limit=lots", null, BEARER), 400, "invalid_field", "limit");
        assertError(call("GET", "/api/dlq?after=yesterday", null, BEARER), 400, "invalid_field", "after");
        assertError(call("GET", "/api/dlq", null, null), 401, "unauthorized", null);
    }

    @Test
    @Order(3)
    void healthCountsTheDeadLetters() {
        final JsonNode stream = json(app.get("/health")).path("components").path("stream");
        assertThat(stream.path("deadLetters").asLong()).isEqualTo(3);
        assertThat(stream.path("pending").asLong()).isZero();
    }

    @Test
    @Order(4)
    void refusesReplayRequestsItCannotReadAndReplaysNothing() {
        assertError(call("POST", "/api/dlq/replay", "{\"ids\":\"all\"}", BEARER), 400, "invalid_type", "ids");
        assertError(call("POST", "/api/dlq/replay", "{\"ids\":[\"nope\"]}", BEARER), 400, "invalid_field", "ids");
        assertError(call("POST", "/api/dlq/replay", "{\"ids\":[7]}", BEARER), 400, "invalid_field", "ids");
        assertError(call("POST", "/api/dlq/replay", "{\"all\":true}", BEARER), 400, "unknown_field", "all");
        assertError(call("POST", "/api/dlq/replay", "[\"1-1\"]", BEARER), 400, "invalid_body", null);
        assertError(call("POST", "/api/dlq/replay", "{\"ids\":[", BEARER), 400, "malformed_json", null);
        assertError(call("POST", "/api/dlq/replay", null, null), 401, "unauthorized", null);
        assertThat(servers.jedis().xlen(StreamLayout.DEAD_LETTER_STREAM)).isEqualTo(3);
    }

    @Test
    @Order(5)
    void replaysTheChosenDeadLettersWhichAreThenWritten() {
        final String id = deadLetterOf("worn-1").path("id").asText();

        final JsonNode report = ok(call("POST", "/api/dlq/replay", "{\"ids\":[\"" + id + "\",\"1-1\"]}", BEARER));

        assertThat(report.path("replayed")).hasSize(1);
        assertThat(report.path("replayed").get(0).path("id").asText()).isEqualTo(id);
        assertThat(report.path("replayed").get(0).path("stream").asText()).isEqualTo(LAYOUT.streamOf("worn-1"));
        assertThat(report.path("missing")).extracting(JsonNode::asText).containsExactly("1-1");
        assertThat(report.path("skipped")).isEmpty();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(points("worn-1")).hasSize(1).first()
                .satisfies(point -> {
                    assertThat(point.get("v")).isEqualTo(1.5);
                    assertThat(point.get("time")).isEqualTo(TS * 1_000_000L);
                }));
        assertThat(servers.jedis().xlen(StreamLayout.DEAD_LETTER_STREAM)).isEqualTo(2);
        assertThat(allDeadLetters()).noneMatch(entry -> entry.path("id").asText().equals(id));
    }

    @Test
    @Order(6)
    void replaysEveryDeadLetterSkippingThoseWithNothingToReplay() {
        // An entry that was deleted from its stream while pending: its dead letter has no original fields.
        final StreamEntryID gone = servers.jedis().xadd(StreamLayout.DEAD_LETTER_STREAM,
                Map.of("stream", LAYOUT.streamKey(0), "id", "5-0",
                        "reason", "entry was deleted from the stream before it was written"),
                XAddParams.xAddParams());
        final String foreign = allDeadLetters().stream().filter(entry -> entry.path("device").isNull()
                && entry.path("reason").asText().startsWith("undecodable")).findFirst().orElseThrow()
                .path("id").asText();

        final JsonNode report = ok(call("POST", "/api/dlq/replay", null, BEARER));

        assertThat(report.path("replayed")).extracting(entry -> entry.path("stream").asText())
                .containsExactlyInAnyOrder(LAYOUT.streamOf("worn-3"), LAYOUT.streamKey(2));
        assertThat(report.path("skipped")).hasSize(1);
        assertThat(report.path("skipped").get(0).path("id").asText()).isEqualTo(gone.toString());
        assertThat(report.path("skipped").get(0).path("reason").asText()).contains("already gone");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(points("worn-3")).hasSize(1).first()
                .satisfies(point -> assertThat(point.get("v")).isEqualTo(3.5)));
        // The undecodable entry fails again and comes back with a new id; the skipped one stays.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(allDeadLetters())
                .extracting(entry -> entry.path("id").asText())
                .hasSize(2).contains(gone.toString()).doesNotContain(foreign));
        await().atMost(PATIENCE).until(DeadLettersIT::pendingOfGroup, pending -> pending == 0);
    }
}
