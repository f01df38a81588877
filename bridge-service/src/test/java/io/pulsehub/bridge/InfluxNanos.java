package io.pulsehub.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.testsupport.InfluxServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Query results with times in epoch nanoseconds, exactly: reading times carry a sub-millisecond part, which the
 * test-support rows (epoch ms) and influxdb-java (doubles) cannot show.
 */
public final class InfluxNanos {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private InfluxNanos() {
    }

    /** One map per point: "time" (Long ns), tags of the series, columns (numbers as Long or Double). */
    public static List<Map<String, Object>> rows(final InfluxServer influx, final String db, final String query) {
        final URI uri = URI.create(influx.url() + "/query?epoch=ns&db=" + encode(db) + "&q=" + encode(query));
        final JsonNode body;
        try {
            body = JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final JsonNode result : body.path("results")) {
            if (result.has("error")) {
                throw new IllegalStateException(result.get("error").asText());
            }
            for (final JsonNode series : result.path("series")) {
                for (final JsonNode values : series.path("values")) {
                    final Map<String, Object> row = new LinkedHashMap<>();
                    series.path("tags").properties().forEach(tag -> row.put(tag.getKey(), tag.getValue().asText()));
                    for (int i = 0; i < series.path("columns").size(); i++) {
                        final JsonNode value = values.get(i);
                        row.put(series.path("columns").get(i).asText(), value.isNull() ? null
                                : value.isIntegralNumber() ? (Object) value.longValue()
                                : value.isNumber() ? (Object) value.doubleValue() : value.asText());
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
