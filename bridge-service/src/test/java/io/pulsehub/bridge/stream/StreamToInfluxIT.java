package io.pulsehub.bridge.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.bridge.InfluxNanos;
import io.pulsehub.contract.InvalidTelemetryException;
import io.pulsehub.contract.Reading;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.StreamLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Entries in the contract's stream layout end up in InfluxDB with exact values and times, are acknowledged only
 * after that, and a redelivery rewrites the same points instead of adding any.
 */
class StreamToInfluxIT {

    private static final StreamLayout LAYOUT = new StreamLayout(4);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static BridgeApp.Servers servers;
    private BridgeApp app;

    @BeforeAll
    static void startServers() {
        servers = BridgeApp.Servers.start();
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    private BridgeApp startApp(final String claimIdle) {
        final Map<String, Object> settings = BridgeApp.recordingAggregates(servers.settings());
        settings.put("hub.bridge-claim-idle", claimIdle);
        return BridgeApp.start(settings);
    }

    /** Adds an entry the way the extension does and returns the readings it carries. */
    private static List<Reading> publish(final String device, final String payload) {
        final long brokerTime = System.currentTimeMillis() * 1_000_000L + 1_000 + (long) (Math.random() * 900_000);
        final StreamEntry entry = new StreamEntry(device, brokerTime, payload.getBytes(StandardCharsets.UTF_8));
        servers.append(LAYOUT, entry);
        try {
            return entry.readings();
        } catch (final InvalidTelemetryException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Map<String, Object>> points(final String device) {
        return InfluxNanos.rows(servers.influx(), BridgeApp.DB,
                "SELECT * FROM telemetry WHERE device = '" + device + "'");
    }

    /** What InfluxDB must hold for these readings: one point per reading, time in ns, every metric as a field. */
    private static List<Map<String, Object>> expectedPoints(final String device, final List<Reading> readings) {
        final List<Map<String, Object>> expected = new ArrayList<>();
        for (final Reading reading : readings) {
            final Map<String, Object> point = new HashMap<>();
            point.put("time", reading.timeNanos());
            point.put("device", device);
            reading.metrics().forEach(point::put);
            expected.add(point);
        }
        return expected;
    }

    /** The points with null fields removed and numbers as doubles, to compare with the readings. */
    private static List<Map<String, Object>> comparable(final List<Map<String, Object>> rows) {
        return rows.stream().map(row -> row.entrySet().stream()
                        .filter(entry -> entry.getValue() != null)
                        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getKey().equals("time")
                                || !(entry.getValue() instanceof Number number) ? entry.getValue()
                                : (Object) number.doubleValue())))
                .toList();
    }

    private static String pointForm(final String device, final Reading reading) {
        final Point.Builder point = Point.measurement("telemetry").time(reading.timeNanos(), TimeUnit.NANOSECONDS)
                .tag("device", device);
        reading.metrics().forEach(point::addField);
        return point.build().lineProtocol();
    }

    /** The value of every field of every point, parsed from InfluxDB's own text of it, so that -0 keeps its sign. */
    private static List<Double> exactValues(final String device, final String field) throws IOException {
        final List<Double> values = new ArrayList<>();
        try (JsonParser json = new JsonFactory().createParser(servers.influx().queryJson(BridgeApp.DB,
                "SELECT \"" + field + "\" FROM telemetry WHERE device = '" + device + "'"))) {
            JsonToken token;
            while ((token = json.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && "values".equals(json.currentName())) {
                    json.nextToken(); // the array of rows, each [time, value], in time order
                    while (json.nextToken() == JsonToken.START_ARRAY) {
                        json.nextToken();
                        json.nextToken();
                        values.add(Double.parseDouble(json.getText()));
                        json.nextToken();
                    }
                }
            }
        }
        return values;
    }

    private static long pendingOfGroup() {
        long pending = 0;
        for (int partition = 0; partition < LAYOUT.partitions(); partition++) {
            if (servers.jedis().exists(LAYOUT.streamKey(partition))) {
                pending += servers.jedis().xpending(LAYOUT.streamKey(partition), StreamLayout.CONSUMER_GROUP)
                        .getTotal();
            }
        }
        return pending;
    }

    @Test
    void writesEveryReadingWithItsExactValuesAndTimeThenAcknowledges() {
        app = startApp("1s");
        final long ts = System.currentTimeMillis() - 5_000;
        final List<Reading> first = new ArrayList<>();
        first.addAll(publish("exact-1", "{\"ts\":" + ts + ",\"temperature\":21.5,\"humidity\":40}"));
        first.addAll(publish("exact-1", "{\"temperature\":-3.25}"));
        first.addAll(publish("exact-1", "[{\"ts\":" + (ts + 1) + ",\"temperature\":1e-7},"
                + "{\"temperature\":123456789.123},{\"humidity\":0}]"));
        final List<Reading> second = publish("exact-2", "{\"ts\":" + ts + ",\"heart_rate\":72,\"steps\":10}");

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(comparable(points("exact-1"))).containsExactlyInAnyOrderElementsOf(
                    expectedPoints("exact-1", first));
            assertThat(comparable(points("exact-2"))).containsExactlyInAnyOrderElementsOf(
                    expectedPoints("exact-2", second));
        });
        assertThat(first).hasSize(5);
        await().atMost(PATIENCE).until(StreamToInfluxIT::pendingOfGroup, pending -> pending == 0);
        // Acknowledged entries are trimmed; nothing else was in the streams.
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (int partition = 0; partition < LAYOUT.partitions(); partition++) {
                assertThat(servers.jedis().xlen(LAYOUT.streamKey(partition))).as("partition " + partition).isZero();
            }
        });
    }

    @Test
    void floatsComeBackFromInfluxDbBitForBit() {
        app = startApp("1s");
        final long ts = System.currentTimeMillis() - 5_000;
        final List<String> values = List.of("1e-300", "1.7976931348623157E308", "-0.0", "123456789.123456789", "3.0",
                "4.9E-324", "2.2250738585072014E-308", "0.1", "-2.5e-7", "1e21", "9007199254740993", "-42");
        final StringBuilder payload = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            payload.append(i == 0 ? "" : ",").append("{\"ts\":").append(ts + i).append(",\"v\":")
                    .append(values.get(i)).append('}');
        }
        final List<Reading> readings = publish("floats-1", payload.append(']').toString());
        final List<Long> expected = readings.stream().map(reading -> reading.metrics().get("v"))
                .map(Double::doubleToRawLongBits).toList();
        assertThat(readings.get(2).metrics().get("v")).isEqualTo(-0.0);

        // Until the bridge created the database, the query fails.
        await().atMost(PATIENCE).ignoreExceptionsInstanceOf(IllegalStateException.class)
                .untilAsserted(() -> assertThat(exactValues("floats-1", "v"))
                .extracting(Double::doubleToRawLongBits).containsExactlyElementsOf(expected));
    }

    @Test
    void aRedeliveredEntryRewritesTheSamePointsAndFinishesOwnPendingFirst() {
        // A bridge that crashed after writing and before acknowledging: its entries are pending for its consumer
        // name, and their points are in InfluxDB already.
        final long ts = System.currentTimeMillis() - 10_000;
        final List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            readings.addAll(publish("redeliver-1", "[{\"ts\":" + (ts + i) + ",\"v\":" + i + "},{\"v\":" + (i + 0.5)
                    + "}]"));
        }
        servers.jedis().xreadGroup(StreamLayout.CONSUMER_GROUP, "bridge-it",
                XReadGroupParams.xReadGroupParams().count(100),
                Map.of(LAYOUT.streamOf("redeliver-1"), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        servers.influx().createDatabase(BridgeApp.DB);
        // Written the way bridges before the line protocol of their own did: influxdb-java's Point.
        servers.influx().write(BridgeApp.DB, readings.stream().map(reading -> pointForm("redeliver-1", reading))
                .collect(Collectors.joining("\n")));
        assertThat(points("redeliver-1")).hasSize(10);
        assertThat(servers.jedis().xpending(LAYOUT.streamOf("redeliver-1"), StreamLayout.CONSUMER_GROUP).getTotal())
                .isEqualTo(5);

        app = startApp("30s");

        await().atMost(PATIENCE).until(StreamToInfluxIT::pendingOfGroup, pending -> pending == 0);
        assertThat(comparable(points("redeliver-1"))).containsExactlyInAnyOrderElementsOf(
                expectedPoints("redeliver-1", readings));
    }

    @Test
    void takesOverTheEntriesOfADeadConsumer() {
        final List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readings.addAll(publish("orphan-" + i, "{\"v\":" + i + "}"));
        }
        final Map<String, StreamEntryID> everyStream = new HashMap<>();
        for (int partition = 0; partition < LAYOUT.partitions(); partition++) {
            everyStream.put(LAYOUT.streamKey(partition), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
        }
        servers.jedis().xreadGroup(StreamLayout.CONSUMER_GROUP, "dead-bridge",
                XReadGroupParams.xReadGroupParams().count(100), everyStream);
        assertThat(pendingOfGroup()).isEqualTo(3);

        app = startApp("1s");

        await().atMost(PATIENCE).until(StreamToInfluxIT::pendingOfGroup, pending -> pending == 0);
        for (int i = 0; i < 3; i++) {
            assertThat(comparable(points("orphan-" + i))).containsExactlyElementsOf(
                    expectedPoints("orphan-" + i, readings.subList(i, i + 1)));
        }
    }

    @Test
    void entriesThatCanNeverBeWrittenGoToTheDeadLettersWithTheirReason() {
        app = startApp("30s");
        // InfluxDB will refuse a float for this field in this shard: it exists as an integer. (Field types are per
        // measurement and shard, so the field is one no other test uses.)
        final long ts = System.currentTimeMillis() - 1_000;
        servers.influx().createDatabase(BridgeApp.DB);
        servers.influx().write(BridgeApp.DB, "telemetry,device=poison-1 poisoned=1i " + (ts - 1) * 1_000_000L);
        publish("poison-1", "{\"ts\":" + ts + ",\"poisoned\":2.5}");
        final List<Reading> good = publish("healthy-1", "{\"ts\":" + ts + ",\"w\":3}");
        servers.jedis().xadd(LAYOUT.streamKey(1), Map.of("foreign", "entry"), XAddParams.xAddParams());

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(servers.jedis().xlen(StreamLayout.DEAD_LETTER_STREAM)).isEqualTo(2));
        final List<Map<String, String>> deadLetters = servers.jedis().xrange(StreamLayout.DEAD_LETTER_STREAM, "-", "+")
                .stream().map(entry -> entry.getFields()).toList();
        assertThat(deadLetters).anySatisfy(fields -> {
            assertThat(fields).containsEntry("stream", LAYOUT.streamOf("poison-1")).containsEntry("d", "poison-1")
                    .containsKey("id").containsKey("p").containsKey("t");
            assertThat(fields.get("reason")).contains("field type conflict");
        });
        assertThat(deadLetters).anySatisfy(fields -> assertThat(fields)
                .containsEntry("stream", LAYOUT.streamKey(1)).containsEntry("foreign", "entry")
                .containsEntry("reason", "undecodable entry: stream entry lacks one of the fields d, t, p"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(comparable(points("healthy-1")))
                .containsExactlyElementsOf(expectedPoints("healthy-1", good)));
        assertThat(points("poison-1")).hasSize(1);
        await().atMost(PATIENCE).until(StreamToInfluxIT::pendingOfGroup, pending -> pending == 0);
    }

    @Test
    void keepsEntriesUnacknowledgedWhileInfluxIsDownAndCatchesUpAfter() {
        app = startApp("30s");
        await().atMost(PATIENCE).until(() -> app.get("/health").body().contains("\"influxdb\":{\"status\":\"UP\""));
        servers.influx().stop();
        try {
            final List<Reading> readings = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                readings.addAll(publish("outage-1", "{\"v\":" + i + "}"));
            }
            await().atMost(PATIENCE).until(() -> app.get("/health").body()
                    .contains("\"influxdb\":{\"status\":\"DOWN\""));
            // Delivered (or waiting) but never acknowledged while InfluxDB cannot take the points.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    servers.jedis().xlen(LAYOUT.streamOf("outage-1")) >= 4);
            assertThat(servers.jedis().xinfoGroups(LAYOUT.streamOf("outage-1")).get(0).getPending()
                    + undelivered(LAYOUT.streamOf("outage-1"))).isEqualTo(4);

            servers.influx().restart();

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(comparable(points("outage-1")))
                    .containsExactlyInAnyOrderElementsOf(expectedPoints("outage-1", readings)));
            await().atMost(PATIENCE).until(StreamToInfluxIT::pendingOfGroup, pending -> pending == 0);
        } finally {
            servers.influx().restart();
        }
    }

    private static long undelivered(final String stream) {
        final StreamEntryID lastDelivered = servers.jedis().xinfoGroups(stream).get(0).getLastDeliveredId();
        return servers.jedis().xrange(stream,
                new StreamEntryID(lastDelivered.getTime(), lastDelivered.getSequence() + 1), (StreamEntryID) null, 1000)
                .size();
    }
}
