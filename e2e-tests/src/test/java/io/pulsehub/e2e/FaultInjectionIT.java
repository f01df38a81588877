package io.pulsehub.e2e;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.MetricSummary;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ack chain under faults, proven by counting. Devices (MQTT 5 and MQTT 3.1.1) send uniquely numbered readings
 * while each fault happens in turn on the real processes: kill -9 of the bridge (restarted, then again with a
 * second instance that must claim the dead one's pending entries), Redis stopped and restarted,
 * InfluxDB stopped for a while, the broker restarted, poison entries in a stream. Afterwards every reading the hub
 * acknowledged must be in InfluxDB exactly once, every refusal must carry a reason, nothing may stay pending in the
 * consumer group, the poison must be in the dead-letter stream with its reason, and every aggregate (stored and
 * published) must equal the raw points of its window.
 * <p>
 * {@code -Dchaos.duration=10m} (see {@code ./hub chaos}) repeats the round of faults until that time has passed,
 * holding each fault longer; without it one short round runs, as part of {@code ./hub test}.
 */
class FaultInjectionIT {

    private static final String WINDOW = "2s";
    private static final long WINDOW_MS = 2_000;
    private static final int PARTITIONS = 4;
    private static final int RATE_PER_DEVICE = 40;
    private static final Duration STEP = Duration.ofSeconds(90);

    private static final Duration CHAOS = chaosDuration();
    /** Readings each device must get acknowledged while a fault holds and after it ended. */
    private static final int HOLD = CHAOS.isZero() ? 40 : 400;

    private static final String SECOND_CONSUMER = "e2e-bridge-2";

    private static Hub hub;
    private static io.pulsehub.testsupport.JavaProcess secondBridge;
    private static long claimedFromDeadBridge;
    private static RedisClient redis;

    private final FaultLedger ledger = new FaultLedger();
    private final FaultAggregates published = new FaultAggregates();
    private final List<String> poisonIds = new ArrayList<>();

    @BeforeAll
    static void startHub() throws IOException {
        hub = Hub.start(WINDOW, Map.of("HUB_BRIDGE_MAX_DELIVERIES", "3", "HUB_BRIDGE_CLAIM_IDLE", "5s"));
        redis = RedisClient.create(URI.create(hub.redis.url()));
    }

    @AfterAll
    static void stopHub() {
        if (redis != null) {
            redis.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void nothingAcknowledgedIsLostOrDoubledUnderFaults() throws Exception {
        final List<FaultDevice> devices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final String id = "fault-v5-" + i;
            devices.add(new FaultDeviceV5(hub.mqttUrl(), id, hub.provision(id, "ops")));
        }
        final String v3 = "fault-v3-0";
        devices.add(new FaultDeviceV3(hub.mqttUrl(), v3, hub.provision(v3, "ops")));
        for (final FaultDevice device : devices) {
            assertThat(device.connect()).as("first connect of " + device.id()).isTrue();
        }
        final MqttAsyncClient app = subscribeToAggregates(devices);
        final FaultLoad load = new FaultLoad(devices, ledger, RATE_PER_DEVICE);
        final long loadStart = System.currentTimeMillis();
        long loadEnd;
        try {
            load.start();
            holdUntilEachAcked(HOLD);
            final long chaosEnd = System.nanoTime() + CHAOS.toNanos();
            int round = 0;
            do {
                round++;
                runFaults(round);
            } while (System.nanoTime() < chaosEnd);
            ledger.enter("none");
            holdUntilEachAcked(HOLD);
            load.stop();
            loadEnd = System.currentTimeMillis();
        } finally {
            load.close();
        }

        final Map<String, TreeMap<Long, double[]>> raw = awaitEveryAckedReadingStored();
        final List<Row> table = count(raw);
        printTable(table, loadEnd - loadStart);

        assertThat(table).allSatisfy(row -> {
            assertThat(row.lost).as(row.fault + ": acknowledged but not in InfluxDB").isZero();
            assertThat(row.duplicated).as(row.fault + ": stored more than once").isZero();
            assertThat(row.refusedWithoutReason).as(row.fault + ": negative PUBACK without reason string").isZero();
            assertThat(row.acked).as(row.fault + ": readings acknowledged").isPositive();
        });
        final Row redisDown = table.stream().filter(r -> r.fault.equals("redis stop")).findFirst().orElseThrow();
        assertThat(redisDown.refused + redisDown.disconnected)
                .as("with Redis down, publishes are refused or the device is disconnected").isPositive();

        assertNothingPendingAndPoisonDeadLettered();
        assertStoredAggregatesEqualRawPoints(raw, loadEnd);
        assertPublishedAggregatesEqualRawPoints(raw);
        Clients.closeQuietly(app);
    }

    private void runFaults(final int round) throws Exception {
        ledger.enter("bridge kill -9");
        hub.killBridge();
        // Redis still takes readings while nobody consumes them.
        holdUntilEachAcked(HOLD);
        hub.restartBridge();
        holdUntilEachAcked(HOLD);

        ledger.enter("kill -9, 2nd claims");
        if (secondBridge == null) {
            secondBridge = hub.startAnotherBridge(SECOND_CONSUMER);
            holdUntilEachAcked(HOLD);
        }
        hub.killBridge();
        final long leftPending = pendingOf(Hub.BRIDGE_CONSUMER);
        claimedFromDeadBridge += leftPending;
        // The second instance takes the dead one's entries over once they idled for HUB_BRIDGE_CLAIM_IDLE.
        await("second bridge claims the " + leftPending + " entries the killed one left pending").atMost(STEP)
                .until(() -> pendingOf(Hub.BRIDGE_CONSUMER) == 0);
        holdUntilEachAcked(HOLD);
        hub.restartBridge();
        holdUntilEachAcked(HOLD);

        ledger.enter("redis stop");
        hub.redis.stop();
        // Held until every device has seen its reading refused (or has been disconnected) at least once, and longer
        // in the chaos run. An MQTT 3.1.1 device answers only once: after the disconnect its logins fail.
        final Map<String, Long> before = new HashMap<>();
        ledger.devices().forEach(d -> before.put(d, ledger.unackedAnswersOf(d)));
        final long refusalsToHold = CHAOS.isZero() ? 1 : 60;
        await("every device refused while Redis is down").atMost(STEP)
                .until(() -> before.entrySet().stream()
                        .allMatch(e -> ledger.unackedAnswersOf(e.getKey()) > e.getValue())
                        && before.entrySet().stream()
                        .mapToLong(e -> ledger.unackedAnswersOf(e.getKey()) - e.getValue()).sum() >= refusalsToHold);
        hub.redis.restart();
        // The pooled connections of the test's own client died with the server.
        redis.close();
        redis = RedisClient.create(URI.create(hub.redis.url()));
        holdUntilEachAcked(HOLD);

        ledger.enter("influxdb stop");
        hub.influx.stop();
        holdUntilEachAcked(HOLD * 2);
        assertThat(hub.healthStatus()).as("bridge /health while InfluxDB is down").isNotEqualTo(200);
        hub.influx.restart();
        holdUntilEachAcked(HOLD);

        ledger.enter("broker restart");
        hub.restartBroker();
        holdUntilEachAcked(HOLD);

        ledger.enter("poison entries");
        injectPoison(round);
        await("poison moved to " + StreamLayout.DEAD_LETTER_STREAM).atMost(STEP)
                .until(() -> redis.xlen(StreamLayout.DEAD_LETTER_STREAM) >= poisonIds.size());
        holdUntilEachAcked(HOLD);
    }

    /** Entries no bridge can ever write, straight into a partition stream, as a buggy producer would add them. */
    private void injectPoison(final int round) {
        final String stream = new StreamLayout(PARTITIONS).streamKey(round % PARTITIONS);
        poisonIds.add(redis.xadd(stream, StreamEntryID.NEW_ENTRY,
                Map.of("d", "fault-poison", "t", "not-a-time", "p", "{}")).toString());
        poisonIds.add(redis.xadd(stream, StreamEntryID.NEW_ENTRY,
                Map.of("d", "fault-poison", "t", "1", "p", "{\"temperature\": \"hot\"")).toString());
    }

    /** Entries delivered to this consumer and not acknowledged, over all partitions. */
    private static long pendingOf(final String consumer) {
        final StreamLayout layout = new StreamLayout(PARTITIONS);
        long pending = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            // Redis reports no consumers at all when nothing is pending.
            final Map<String, Long> perConsumer = redis.xpending(layout.streamKey(p), StreamLayout.CONSUMER_GROUP)
                    .getConsumerMessageCount();
            pending += perConsumer == null ? 0 : perConsumer.getOrDefault(consumer, 0L);
        }
        return pending;
    }

    private void holdUntilEachAcked(final int readings) {
        final Map<String, Long> before = new HashMap<>();
        ledger.devices().forEach(d -> before.put(d, ledger.ackedBy(d)));
        await("each device " + readings + " more readings acknowledged").atMost(STEP)
                .until(() -> before.entrySet().stream()
                        .allMatch(e -> ledger.ackedBy(e.getKey()) >= e.getValue() + readings));
    }

    /** @return per device: time (ms) to {seq, temperature} of every stored point */
    private Map<String, TreeMap<Long, double[]>> awaitEveryAckedReadingStored() {
        final Map<String, TreeMap<Long, double[]>> raw = new HashMap<>();
        await("every acknowledged reading in InfluxDB").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (final String device : ledger.devices()) {
                        raw.put(device, points(device));
                    }
                    return ledger.devices().stream().allMatch(d -> ledger.readingsOf(d).stream()
                            .filter(s -> s.acked).allMatch(s -> raw.get(d).containsKey(s.ts)));
                });
        return raw;
    }

    private static TreeMap<Long, double[]> points(final String device) {
        final TreeMap<Long, double[]> points = new TreeMap<>();
        final int page = 5_000;
        for (int offset = 0; ; offset += page) {
            final List<Map<String, Object>> rows = hub.influx.rows(Hub.DB, "SELECT seq, temperature FROM telemetry"
                    + " WHERE device = '" + device + "' ORDER BY time ASC LIMIT " + page + " OFFSET " + offset);
            for (final Map<String, Object> row : rows) {
                points.put(((Number) row.get("time")).longValue(), new double[] {
                        ((Number) row.get("seq")).doubleValue(), ((Number) row.get("temperature")).doubleValue()});
            }
            if (rows.size() < page) {
                return points;
            }
        }
    }

    /** One line of the table. */
    static final class Row {
        final String fault;
        long sent;
        long acked;
        long stored;
        long lost;
        long duplicated;
        long refused;
        long disconnected;
        long noAnswer;
        long refusedWithoutReason;
        String reasons = "";

        Row(final String fault) {
            this.fault = fault;
        }
    }

    private List<Row> count(final Map<String, TreeMap<Long, double[]>> raw) {
        final Map<String, Row> rows = new LinkedHashMap<>();
        ledger.faults().forEach(f -> rows.put(f, new Row(f)));
        for (final String device : ledger.devices()) {
            final TreeMap<Long, double[]> points = raw.get(device);
            // A point whose seq belongs to another time is a reading stored twice (or stored under a wrong time).
            final Map<Long, Integer> timesPerSeq = new HashMap<>();
            points.values().forEach(p -> timesPerSeq.merge((long) p[0], 1, Integer::sum));
            for (final FaultLedger.Sent sent : ledger.readingsOf(device)) {
                final Row row = rows.get(sent.fault);
                row.sent++;
                final double[] point = points.get(sent.ts);
                final boolean stored = point != null && (long) point[0] == sent.seq
                        && point[1] == FaultLoad.temperature(sent.seq);
                if (sent.acked) {
                    row.acked++;
                    if (stored) {
                        row.stored++;
                    } else {
                        row.lost++;
                    }
                }
                row.duplicated += Math.max(0, timesPerSeq.getOrDefault(sent.seq, 0) - 1);
            }
        }
        for (final Row row : rows.values()) {
            final FaultLedger.Refusals refusals = ledger.refusals(row.fault);
            row.refused = refusals.refused.get();
            row.disconnected = refusals.disconnected.get();
            row.noAnswer = refusals.noAnswer.get();
            row.refusedWithoutReason = refusals.refusedWithoutReason.get();
            row.reasons = String.join(" | ", refusals.reasons);
        }
        return new ArrayList<>(rows.values());
    }

    private static final String HEADER = "| %-20s | %7s | %7s | %7s | %4s | %10s | %7s | %12s | %9s |%n";
    private static final String RULE = "|" + String.join("|", "-".repeat(22), "-".repeat(9), "-".repeat(9),
            "-".repeat(9), "-".repeat(6), "-".repeat(12), "-".repeat(9), "-".repeat(14), "-".repeat(11)) + "|\n";
    private static final String LINE = "| %-20s | %7d | %7d | %7d | %4d | %10d | %7d | %12d | %9d |%n";

    private static void printTable(final List<Row> table, final long durationMs) {
        final StringBuilder out = new StringBuilder("\nFault injection: ").append(durationMs / 1000)
                .append(" s of load, ").append(RATE_PER_DEVICE)
                .append(" readings/s per device (3 MQTT 5, 1 MQTT 3.1.1)\n");
        out.append(String.format(HEADER, "fault", "sent", "acked", "stored", "lost", "duplicated", "refused",
                "disconnected", "no answer"));
        out.append(RULE);
        for (final Row row : table) {
            out.append(String.format(LINE, row.fault, row.sent, row.acked, row.stored, row.lost, row.duplicated,
                    row.refused, row.disconnected, row.noAnswer));
        }
        out.append("Answers other than a PUBACK, by fault:\n");
        for (final Row row : table) {
            if (!row.reasons.isEmpty()) {
                out.append("  ").append(row.fault).append(": ").append(row.reasons).append('\n');
            }
        }
        System.out.println(out);
    }

    private void assertNothingPendingAndPoisonDeadLettered() {
        final StreamLayout layout = new StreamLayout(PARTITIONS);
        await("consumer group has acknowledged every entry").atMost(Duration.ofMinutes(1))
                .until(() -> {
                    long pending = 0;
                    for (int p = 0; p < PARTITIONS; p++) {
                        pending += redis.xpending(layout.streamKey(p), StreamLayout.CONSUMER_GROUP).getTotal();
                    }
                    return pending == 0;
                });
        final List<StreamEntry> dead = redis.xrange(StreamLayout.DEAD_LETTER_STREAM, "-", "+");
        assertThat(dead).extracting(e -> e.getFields().get("id")).containsExactlyInAnyOrderElementsOf(poisonIds);
        assertThat(dead).allSatisfy(e -> assertThat(e.getFields().get("reason")).isNotBlank());
        System.out.println("Entries a killed bridge left pending and the second instance claimed: "
                + claimedFromDeadBridge);
        System.out.println("Dead letters: " + dead.size() + ", e.g. reason: " + dead.get(0).getFields().get("reason"));
    }

    /** Every stored aggregate of a window that closed during the load equals what its raw points give. */
    private void assertStoredAggregatesEqualRawPoints(final Map<String, TreeMap<Long, double[]>> raw,
                                                      final long loadEnd) {
        final long lastClosed = Math.floorDiv(loadEnd, WINDOW_MS) * WINDOW_MS;
        final List<String> mismatches = new ArrayList<>();
        await("stored aggregates equal the raw points").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    mismatches.clear();
                    for (final String device : ledger.devices()) {
                        final Map<Long, Map<String, Object>> stored = new HashMap<>();
                        hub.influx.rows(Hub.DB, "SELECT * FROM aggregates_" + WINDOW + " WHERE device = '" + device
                                + "'").forEach(r -> stored.put(((Number) r.get("time")).longValue(), r));
                        for (final Map.Entry<Long, List<double[]>> window : windows(raw.get(device)).entrySet()) {
                            if (window.getKey() + WINDOW_MS > lastClosed) {
                                continue;
                            }
                            final Map<String, Object> row = stored.get(window.getKey());
                            final String problem = row == null ? "missing"
                                    : differs(window.getValue(), ((Number) row.get("temperature_count")).longValue(),
                                    number(row, "temperature_sum"), number(row, "temperature_min"),
                                    number(row, "temperature_max"), number(row, "temperature_last"));
                            if (problem != null) {
                                mismatches.add(device + " window " + window.getKey() + ": " + problem);
                            }
                        }
                    }
                    return mismatches.isEmpty();
                });
        System.out.println("Stored aggregates checked against raw points: all windows closed before "
                + lastClosed + " match");
    }

    /** The latest revision the owner's app received of each window equals the raw points of the window. */
    private void assertPublishedAggregatesEqualRawPoints(final Map<String, TreeMap<Long, double[]>> raw) {
        assertThat(published.unreadable()).as("unreadable aggregates").isEmpty();
        assertThat(published.latest()).as("aggregates received by the owner's app").isNotEmpty();
        for (final Aggregate aggregate : published.latest()) {
            final List<double[]> points = windows(raw.get(aggregate.device())).getOrDefault(aggregate.start(),
                    List.of());
            final MetricSummary summary = aggregate.metrics().get("temperature");
            assertThat(differs(points, summary.count(), summary.sum(), summary.min(), summary.max(), summary.last()))
                    .as(aggregate.device() + " window " + aggregate.start() + " revision " + aggregate.revision())
                    .isNull();
        }
        System.out.println("Published aggregates checked against raw points: " + published.latest().size());
    }

    private static double number(final Map<String, Object> row, final String column) {
        return ((Number) row.get(column)).doubleValue();
    }

    private static TreeMap<Long, List<double[]>> windows(final TreeMap<Long, double[]> points) {
        final TreeMap<Long, List<double[]>> windows = new TreeMap<>();
        points.forEach((time, p) -> windows.computeIfAbsent(Math.floorDiv(time, WINDOW_MS) * WINDOW_MS,
                w -> new ArrayList<>()).add(p));
        return windows;
    }

    /** @return what differs, or null when the summary is what the points (in time order) give */
    private static String differs(final List<double[]> points, final long count, final double sum, final double min,
                                  final double max, final double last) {
        if (points.size() != count) {
            return "count " + count + " but " + points.size() + " raw points";
        }
        final double rawSum = points.stream().mapToDouble(p -> p[1]).sum();
        final double rawMin = points.stream().mapToDouble(p -> p[1]).min().orElse(Double.NaN);
        final double rawMax = points.stream().mapToDouble(p -> p[1]).max().orElse(Double.NaN);
        final double rawLast = points.isEmpty() ? Double.NaN : points.get(points.size() - 1)[1];
        if (Math.abs(rawSum - sum) > 1e-6 || rawMin != min || rawMax != max || rawLast != last) {
            return "sum/min/max/last " + sum + "/" + min + "/" + max + "/" + last + " but raw " + rawSum + "/"
                    + rawMin + "/" + rawMax + "/" + rawLast;
        }
        return null;
    }

    /** The owner's app with a persistent session, so aggregates published while it reconnects are queued for it. */
    private MqttAsyncClient subscribeToAggregates(final List<FaultDevice> devices) throws Exception {
        final MqttAsyncClient app = new MqttAsyncClient(hub.mqttUrl(), "fault-app", new MemoryPersistence());
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("app");
        options.setPassword(AppTokens.mint(Hub.JWT_SECRET, "ops", Duration.ofHours(2))
                .getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2);
        app.setCallback(published.callback());
        app.connect(options).waitForCompletion(15_000);
        for (final FaultDevice device : devices) {
            app.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.aggregate(device.id(), WINDOW), 1)},
                    null, null, new org.eclipse.paho.mqttv5.common.packet.MqttProperties()).waitForCompletion(15_000);
        }
        return app;
    }

    private static Duration chaosDuration() {
        final String value = System.getProperty("chaos.duration", "").trim();
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        final char unit = value.charAt(value.length() - 1);
        final long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("chaos.duration must be like 90s, 10m or 1h: " + value);
        };
    }
}
