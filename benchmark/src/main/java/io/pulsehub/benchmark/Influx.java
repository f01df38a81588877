package io.pulsehub.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few InfluxDB 1.x HTTP calls the benchmark makes: ping, create the database, count and find points. */
final class Influx {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String db;

    Influx(final String url, final String db) {
        this.url = url;
        this.db = db;
    }

    boolean ping() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/ping")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void createDatabase() throws IOException, InterruptedException {
        post("CREATE DATABASE \"" + db + "\"");
    }

    /** Points of measurement {@code telemetry} whose device matches {@code deviceRegex}. */
    long countTelemetry(final String deviceRegex, final String field) throws IOException, InterruptedException {
        final JsonNode values = query("SELECT count(\"" + field + "\") FROM telemetry WHERE device =~ /"
                + deviceRegex + "/").path("results").path(0).path("series").path(0).path("values").path(0);
        return values.isMissingNode() ? 0 : values.path(1).asLong();
    }

    /** Whether device's reading at exactly {@code epochMillis} is queryable. */
    boolean hasReading(final String device, final long epochMillis) throws IOException, InterruptedException {
        final long nanos = epochMillis * 1_000_000L;
        return !query("SELECT * FROM telemetry WHERE device = '" + device + "' AND time >= " + nanos
                + " AND time < " + (nanos + 1_000_000L)).path("results").path(0).path("series").isMissingNode();
    }

    private JsonNode query(final String influxql) throws IOException, InterruptedException {
        final String uri = url + "/query?db=" + enc(db) + "&q=" + enc(influxql);
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("InfluxDB answered " + response.statusCode() + " to " + influxql);
        }
        return JSON.readTree(response.body());
    }

    private void post(final String influxql) throws IOException, InterruptedException {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/query?q="
                        + enc(influxql))).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("InfluxDB answered " + response.statusCode() + " to " + influxql);
        }
    }

    private static String enc(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
