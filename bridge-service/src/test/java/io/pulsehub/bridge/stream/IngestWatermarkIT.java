package io.pulsehub.bridge.stream;

import io.pulsehub.bridge.BridgeApp;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.StreamLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Under a stream of entries that never lets a read of the bridge empty a partition, the ingest watermark still
 * advances, and it never passes an entry that is not acknowledged yet.
 */
class IngestWatermarkIT {

    private static final StreamLayout LAYOUT = new StreamLayout(4);
    private static final byte[] PAYLOAD = "{\"v\":1.5}".getBytes(StandardCharsets.UTF_8);

    private static BridgeApp.Servers servers;
    private static BridgeApp app;
    private static long sequence;

    @BeforeAll
    static void start() {
        servers = BridgeApp.Servers.start();
    }

    @AfterAll
    static void stop() {
        BridgeApp.close(app, servers);
    }

    /** One device per partition, so that every partition receives entries. */
    private static List<String> devicePerPartition() {
        final Map<Integer, String> devices = new TreeMap<>();
        for (int i = 0; devices.size() < LAYOUT.partitions(); i++) {
            devices.putIfAbsent(LAYOUT.partitionOf("wm-" + i), "wm-" + i);
        }
        return List.copyOf(devices.values());
    }

    /** Adds {@code perPartition} entries to every partition in one round trip, as the extension's group commit does. */
    private static void addEntries(final List<String> devices, final int perPartition) {
        try (AbstractPipeline pipeline = servers.jedis().pipelined()) {
            for (int i = 0; i < perPartition; i++) {
                for (final String device : devices) {
                    final long brokerTime = System.currentTimeMillis() * 1_000_000L + (sequence++ % 1_000_000);
                    pipeline.xadd(LAYOUT.streamOf(device).getBytes(StandardCharsets.UTF_8), XAddParams.xAddParams(),
                            new StreamEntry(device, brokerTime, PAYLOAD).toFields());
                }
            }
            pipeline.sync();
        }
    }

    /** Whether the partition holds an entry no consumer of the group has read yet. */
    private static boolean hasUndelivered(final int partition) {
        final String key = LAYOUT.streamKey(partition);
        final StreamEntryID lastDelivered = servers.jedis().xinfoGroups(key).get(0).getLastDeliveredId();
        final List<redis.clients.jedis.resps.StreamEntry> newest = servers.jedis().xrevrange(key, "+", "-", 1);
        return !newest.isEmpty() && newest.get(0).getID().compareTo(lastDelivered) > 0;
    }

    @Test
    void advancesUnderAContinuousStreamOfEntriesWithoutPassingAnUnacknowledgedOne() {
        final List<String> devices = devicePerPartition();
        servers.createConsumerGroups(LAYOUT);
        final Map<String, Object> settings = BridgeApp.recordingAggregates(servers.settings());
        // One entry per partition and read, and far more entries added per poll below than that.
        settings.put("hub.bridge-batch-size", "1");
        app = BridgeApp.start(settings);
        final IngestWatermark watermark = app.bean(IngestWatermark.class);
        // Only asks about the group (lag); it never reads, so it takes nothing from the bridge.
        final TelemetryStreams observer = new TelemetryStreams(servers.jedis(), LAYOUT, "observer");
        // A backlog first, then the Redis time from which on no read of the bridge can empty a partition.
        addEntries(devices, 200);
        final long producingSince = RedisClock.millis(servers.jedis());
        final List<Long> marks = new ArrayList<>();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            addEntries(devices, 40);
            final long mark = watermark.millis();
            final TelemetryStreams.Lag lag = observer.lag();
            for (int partition = 0; partition < LAYOUT.partitions(); partition++) {
                assertThat(hasUndelivered(partition)).as("undelivered entries in partition %d", partition).isTrue();
            }
            // Asked after the mark was taken: an entry unacknowledged now was unacknowledged then.
            assertThat(mark).as("watermark").isLessThanOrEqualTo(lag.oldestUnwrittenMillis());
            if (marks.isEmpty() || marks.get(marks.size() - 1) != mark) {
                marks.add(mark);
            }
            return mark > producingSince;
        });

        assertThat(marks).isSorted().hasSizeGreaterThan(3);
        assertThat(marks.get(marks.size() - 1)).isGreaterThan(producingSince);
    }
}
