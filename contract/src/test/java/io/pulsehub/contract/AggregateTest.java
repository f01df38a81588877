package io.pulsehub.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AggregateTest {

    @Test
    void serializesAsTheContractShows() throws Exception {
        final Aggregate aggregate = new Aggregate("d1", "1m", 60_000, 120_000, 0,
                Map.of("temperature", new MetricSummary(6, 130.2, 21.0, 22.3, 21.7, 22.1)));

        final JsonNode json = new ObjectMapper().readTree(aggregate.toJson());

        assertThat(json.fieldNames()).toIterable().containsExactly("device", "window", "start", "end", "metrics");
        assertThat(json.get("metrics").get("temperature").get("count").asLong()).isEqualTo(6);
        assertThat(json.get("metrics").get("temperature").get("last").asDouble()).isEqualTo(22.1);
        assertThat(Aggregate.fromJson(aggregate.toJson())).isEqualTo(aggregate);
    }

    @Test
    void revisionAppearsOnceCorrected() throws Exception {
        final Aggregate revised = new Aggregate("d1", "1m", 0, 60_000, 2,
                Map.of("a", new MetricSummary(1, 1, 1, 1, 1, 1)));

        assertThat(new ObjectMapper().readTree(revised.toJson()).get("revision").asInt()).isEqualTo(2);
        assertThat(Aggregate.fromJson(revised.toJson())).isEqualTo(revised);
    }
}
