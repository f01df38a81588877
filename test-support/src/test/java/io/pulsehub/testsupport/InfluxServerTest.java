package io.pulsehub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InfluxServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static InfluxServer influx;

    @BeforeAll
    static void startInflux() {
        influx = InfluxServer.start();
    }

    @AfterAll
    static void stopInflux() {
        influx.close();
    }

    @Test
    void answersPingWith204OnItsLoopbackPort() throws Exception {
        assertThat(influx.url()).isEqualTo("http://127.0.0.1:" + influx.port());
        assertThat(influx.pid()).isPositive();
        final HttpResponse<Void> ping = HTTP.send(HttpRequest.newBuilder(URI.create(influx.url() + "/ping")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(ping.statusCode()).isEqualTo(204);
    }

    @Test
    void returnsAPointWrittenOverHttpAsARow() throws Exception {
        influx.createDatabase("rows");
        final HttpResponse<String> write = HTTP.send(HttpRequest.newBuilder(URI.create(influx.url() + "/write?db=rows"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "telemetry,device=d1 temperature=21.5,humidity=40 1732330000123000000"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as(write.body()).isEqualTo(204);

        final List<Map<String, Object>> rows = influx.rows("rows", "SELECT * FROM telemetry GROUP BY *");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsExactly(
                entry("time", 1732330000123L),
                entry("device", "d1"),
                entry("humidity", 40L),
                entry("temperature", 21.5));
    }

    @Test
    void keepsNullsForColumnsAPointDoesNotHave() {
        influx.createDatabase("sparse");
        influx.write("sparse", "telemetry,device=d1 temperature=20.25 1000000000\n"
                + "telemetry,device=d1 humidity=55.5 2000000000");

        final List<Map<String, Object>> rows = influx.rows("sparse", "SELECT humidity, temperature FROM telemetry");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(
                entry("time", 1000L), entry("humidity", null), entry("temperature", 20.25));
        assertThat(rows.get(1)).containsExactly(
                entry("time", 2000L), entry("humidity", 55.5), entry("temperature", null));
    }

    @Test
    void returnsTheRawJsonOfAQuery() {
        influx.createDatabase("raw");
        influx.write("raw", "telemetry,device=d2 temperature=19.5 5000000000");

        assertThat(influx.queryJson("raw", "SELECT temperature FROM telemetry"))
                .contains("\"columns\":[\"time\",\"temperature\"]")
                .contains("[5000,19.5]");
    }

    @Test
    void failsWithTheResponseOnABadStatementOrAMissingDatabase() {
        assertThatThrownBy(() -> influx.queryJson("rows", "SELEKT nonsense"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("400")
                .hasMessageContaining("error parsing query");
        assertThatThrownBy(() -> influx.rows("no_such_db", "SELECT * FROM telemetry"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("database not found");
    }

    @Test
    void keepsDataAcrossRestartOnTheSamePort() {
        try (InfluxServer own = InfluxServer.start()) {
            final int port = own.port();
            own.createDatabase("durable");
            own.write("durable", "telemetry,device=d3 temperature=30.5 7000000000");

            own.restart();

            assertThat(own.port()).isEqualTo(port);
            assertThat(own.rows("durable", "SELECT temperature FROM telemetry"))
                    .containsExactly(Map.of("time", 7000L, "temperature", 30.5));
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectory() throws IOException {
        final InfluxServer own = InfluxServer.start();
        final long pid = own.pid();
        assertThat(Files.readString(own.directory().resolve("influxdb.conf")))
                .contains("bind-address = \"127.0.0.1:" + own.port() + "\"");

        own.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.exists(own.directory())).isFalse();
    }
}
