package io.pulsehub.contract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamLayoutTest {

    @Test
    void partitionIsStableAndKnown() {
        // CRC32("d1") = 0x1196BC66; pinned so a change of hash (which would split a device's history) fails here.
        assertThat(new StreamLayout(8).partitionOf("d1")).isEqualTo((int) (0x1196BC66L % 8));
        assertThat(new StreamLayout(8).streamOf("d1")).isEqualTo("pulsehub:telemetry:" + (int) (0x1196BC66L % 8));
    }

    @Test
    void devicesSpreadOverAllPartitions() {
        final StreamLayout layout = new StreamLayout(8);
        final Map<Integer, Long> perPartition = IntStream.range(0, 8_000)
                .mapToObj(i -> "device-" + i)
                .collect(Collectors.groupingBy(layout::partitionOf, Collectors.counting()));

        assertThat(perPartition).hasSize(8);
        assertThat(perPartition.values()).allSatisfy(n -> assertThat(n).isBetween(800L, 1_200L));
    }

    @Test
    void refusesNonsensePartitionCounts() {
        assertThatThrownBy(() -> new StreamLayout(0)).hasMessageContaining("between 1 and 1024");
        assertThatThrownBy(() -> new StreamLayout(8).streamKey(8)).hasMessageContaining("no partition 8");
    }

    @Test
    void entryRoundTripsThroughStreamFields() throws Exception {
        final byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        final StreamEntry entry = new StreamEntry("d1", 1_732_330_000_000_001_000L, payload);

        final StreamEntry back = StreamEntry.fromFields(entry.toFields());

        assertThat(back.deviceId()).isEqualTo("d1");
        assertThat(back.brokerTimeNanos()).isEqualTo(1_732_330_000_000_001_000L);
        assertThat(back.payload()).isEqualTo(payload);
        assertThat(back.readings()).singleElement()
                .satisfies(r -> assertThat(r.timeNanos()).isEqualTo(1_732_330_000_000_001_000L));
    }

    @Test
    void fieldsWhoseKeysAreOtherArraysAreFoundByContent() {
        // A plain HashMap compares byte[] keys by identity, so get() misses these and the fields must be searched.
        final Map<byte[], byte[]> fields = new java.util.HashMap<>();
        fields.put(new byte[]{'p'}, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        fields.put(new byte[]{'t'}, "42".getBytes(StandardCharsets.US_ASCII));
        fields.put(new byte[]{'d'}, "d1".getBytes(StandardCharsets.UTF_8));

        final StreamEntry entry = StreamEntry.fromFields(fields);

        assertThat(entry.deviceId()).isEqualTo("d1");
        assertThat(entry.brokerTimeNanos()).isEqualTo(42L);
        assertThat(new String(entry.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void entryFromElsewhereIsRefused() {
        assertThatThrownBy(() -> StreamEntry.fromFields(Map.of("x".getBytes(), "y".getBytes())))
                .isInstanceOf(IllegalArgumentException.class);
        final Map<byte[], byte[]> badDevice = new StreamEntry("d1", 1, new byte[]{'{'}).toFields();
        badDevice.put(StreamEntry.DEVICE, "a b".getBytes());
        assertThatThrownBy(() -> StreamEntry.fromFields(badDevice)).hasMessageContaining("invalid device id");
    }
}
