package io.pulsehub.contract;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Where telemetry lives in Redis. A device always maps to the same partition, so its readings stay in order and
 * partitions can be spread over Redis Cluster shards and bridge instances.
 */
public final class StreamLayout {

    public static final String STREAM_PREFIX = "pulsehub:telemetry:";
    public static final String DEAD_LETTER_STREAM = "pulsehub:telemetry:dlq";
    public static final String CONSUMER_GROUP = "pulsehub-bridge";
    public static final int DEFAULT_PARTITIONS = 8;
    public static final String PARTITIONS_ENV = "HUB_STREAM_PARTITIONS";

    private final int partitions;

    public StreamLayout(final int partitions) {
        if (partitions < 1 || partitions > 1024) {
            throw new IllegalArgumentException("stream partitions must be between 1 and 1024, was " + partitions);
        }
        this.partitions = partitions;
    }

    public int partitions() {
        return partitions;
    }

    /** CRC32 rather than String.hashCode: stable across JVMs, languages and versions. */
    public int partitionOf(final String deviceId) {
        final CRC32 crc = new CRC32();
        crc.update(deviceId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    public String streamOf(final String deviceId) {
        return streamKey(partitionOf(deviceId));
    }

    public String streamKey(final int partition) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("no partition " + partition + " of " + partitions);
        }
        return STREAM_PREFIX + partition;
    }
}
