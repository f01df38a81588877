package io.pulsehub.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import io.pulsehub.contract.Reading;

import java.util.List;
import java.util.Map;

/**
 * Metric names the contract allows but the store cannot take. In the {@code telemetry} measurement every metric is a
 * field next to the {@code device} tag: InfluxDB refuses a field called {@code time} (the whole point, so the bridge
 * could never store an entry the hub had acknowledged), and a field called {@code device} shadows the tag in every
 * {@code WHERE device = '…'} query, hiding all devices' readings from the dashboards and the aggregates. One
 * hostile device must not be able to do either, so such readings are refused where they enter.
 */
final class ReservedMetrics {

    static final Map<String, String> NAMES = Map.of(
            "time", "InfluxDB's time column",
            "device", "the device tag");

    private ReservedMetrics() {
    }

    /** Why the readings cannot be stored, or {@code null} when they can. */
    static @Nullable String problemWith(final @NotNull List<Reading> readings) {
        for (final Reading reading : readings) {
            for (final Map.Entry<String, String> reserved : NAMES.entrySet()) {
                if (reading.metrics().containsKey(reserved.getKey())) {
                    return "metric name '" + reserved.getKey() + "' is reserved (" + reserved.getValue() + ")";
                }
            }
        }
        return null;
    }
}
