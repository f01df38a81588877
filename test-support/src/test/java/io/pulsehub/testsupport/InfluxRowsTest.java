package io.pulsehub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class InfluxRowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void flattensEverySeriesOfEveryResultWithItsTags() throws Exception {
        final JsonNode response = JSON.readTree("""
                {"results":[
                  {"statement_id":0,"series":[
                    {"name":"telemetry","tags":{"device":"d1"},"columns":["time","temperature","ok"],
                     "values":[[1000,21.5,true],[2000,null,false]]},
                    {"name":"telemetry","tags":{"device":"d2"},"columns":["time","temperature","ok"],
                     "values":[[3000,22,true]]}]},
                  {"statement_id":1,"series":[
                    {"name":"aggregates_1m","columns":["time","device","temperature_count"],
                     "values":[[60000,"d1",6]]}]}]}
                """);

        assertThat(InfluxRows.firstError(response)).isNull();
        assertThat(InfluxRows.flatten(response)).satisfiesExactly(
                row -> assertThat(row).containsExactly(
                        entry("time", 1000L), entry("device", "d1"), entry("temperature", 21.5), entry("ok", true)),
                row -> assertThat(row).containsExactly(
                        entry("time", 2000L), entry("device", "d1"), entry("temperature", null), entry("ok", false)),
                row -> assertThat(row).containsExactly(
                        entry("time", 3000L), entry("device", "d2"), entry("temperature", 22L), entry("ok", true)),
                row -> assertThat(row).containsExactly(
                        entry("time", 60000L), entry("device", "d1"), entry("temperature_count", 6L)));
    }

    @Test
    void hasNoRowsForAResultWithoutSeries() throws Exception {
        assertThat(InfluxRows.flatten(JSON.readTree("{\"results\":[{\"statement_id\":0}]}"))).isEmpty();
    }

    @Test
    void findsTheErrorOfTheResponseOrOfAStatement() throws Exception {
        assertThat(InfluxRows.firstError(JSON.readTree("{\"error\":\"error parsing query\"}")))
                .isEqualTo("error parsing query");
        assertThat(InfluxRows.firstError(JSON.readTree(
                "{\"results\":[{\"statement_id\":0},{\"statement_id\":1,\"error\":\"database not found: x\"}]}")))
                .isEqualTo("database not found: x");
    }
}
