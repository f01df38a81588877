package io.pulsehub.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payload of {@code aggregates/{device}/{window}}: a closed tumbling window, aligned to the epoch.
 *
 * @param start    window start, epoch ms, inclusive
 * @param end      window end, epoch ms, exclusive
 * @param revision 0 when first published; higher when late readings corrected the window
 */
public record Aggregate(String device, String window, long start, long end,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int revision,
                        Map<String, MetricSummary> metrics) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Aggregate {
        metrics = Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("an aggregate always serializes", e);
        }
    }

    public static Aggregate fromJson(final byte[] json) throws IOException {
        return JSON.readValue(json, Aggregate.class);
    }
}
