package io.pulsehub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real influxd 1.x on free loopback ports in its own temporary directory, with helpers that talk to its v1 HTTP API
 * the way a test wants to: create a database, write line protocol, read query results back as rows.
 */
public final class InfluxServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InfluxServer.class);
    private static final String INSTALL_HINT = "apt-get install -y influxdb (Debian/Ubuntu)";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path executable;
    private final Path directory;
    private final int port;
    private final int rpcPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PING_TIMEOUT).build();
    private volatile ChildProcess process;

    private InfluxServer(final Path executable, final Path directory, final int port, final int rpcPort) {
        this.executable = executable;
        this.directory = directory;
        this.port = port;
        this.rpcPort = rpcPort;
    }

    /**
     * Starts a server and returns once {@code /ping} answers 204.
     *
     * @throws IllegalStateException when influxd is not installed, or with its log tail when it did not start
     */
    public static InfluxServer start() {
        final Path executable = Executables.locate("influxd", INSTALL_HINT);
        return PortConflicts.retry(() -> {
            final int port = FreePorts.find();
            int rpcPort = FreePorts.find();
            while (rpcPort == port) {
                rpcPort = FreePorts.find();
            }
            final InfluxServer server =
                    new InfluxServer(executable, Reaper.createTempDirectory("pulsehub-influx-"), port, rpcPort);
            try {
                server.writeConfig();
                server.launch();
                return server;
            } catch (final RuntimeException e) {
                server.close();
                throw e;
            }
        });
    }

    private Path configFile() {
        return directory.resolve("influxdb.conf");
    }

    private void writeConfig() {
        final String config = String.join("\n",
                // The server would otherwise phone home and, on port 8088, clash with other instances.
                "reporting-disabled = true",
                "bind-address = " + quoted("127.0.0.1:" + rpcPort),
                "",
                "[meta]",
                "  dir = " + quoted(directory.resolve("meta").toString()),
                "",
                "[data]",
                "  dir = " + quoted(directory.resolve("data").toString()),
                "  wal-dir = " + quoted(directory.resolve("wal").toString()),
                "  query-log-enabled = false",
                "",
                "[http]",
                "  bind-address = " + quoted("127.0.0.1:" + port),
                "  log-enabled = false",
                "",
                "[monitor]",
                "  store-enabled = false",
                "");
        try {
            Files.writeString(configFile(), config);
        } catch (final IOException e) {
            throw new UncheckedIOException("could not write " + configFile(), e);
        }
    }

    private static String quoted(final String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private void launch() {
        final List<String> command = List.of(executable.toString(), "-config", configFile().toString());
        final ChildProcess started =
                ChildProcess.start("influxd", command, directory, Map.of(), directory.resolve("influxd.log"));
        process = started;
        try {
            started.awaitReady("204 from " + url() + "/ping", READY_TIMEOUT, this::answersPing);
        } catch (final RuntimeException e) {
            started.kill();
            throw e;
        }
        log.info("influxd (pid {}) ready on {} in {}", started.pid(), url(), directory);
    }

    private boolean answersPing() {
        try {
            final HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url() + "/ping")).timeout(PING_TIMEOUT).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** HTTP port of the v1 API. */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The pid of the current run; it changes with {@link #restart()}. */
    public long pid() {
        return process.pid();
    }

    /** Holds the configuration, the data and {@code influxd.log}. */
    public Path directory() {
        return directory;
    }

    /** SIGTERM and wait for the exit. */
    public void stop() {
        final ChildProcess current = process;
        if (current != null) {
            current.stop(STOP_GRACE);
        }
    }

    /** SIGKILL, as in a crash. Points already acknowledged with 204 are in the write-ahead log. */
    public void kill() {
        final ChildProcess current = process;
        if (current != null) {
            current.kill();
        }
    }

    /** Stops the server if it is running and starts it again on the same ports and directory. */
    public void restart() {
        stop();
        launch();
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            Reaper.deleteDirectory(directory);
        }
    }

    public void createDatabase(final String db) {
        final String form = "q=" + encode("CREATE DATABASE " + quoted(db));
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/query"))
                .timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        parseChecked(send(request), "CREATE DATABASE " + db);
    }

    /** Writes points in line protocol with nanosecond timestamps, as {@code POST /write} does by default. */
    public void write(final String db, final String lineProtocol) {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/write?db=" + encode(db)))
                .timeout(HTTP_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(lineProtocol))
                .build();
        send(request);
    }

    /**
     * The raw JSON of {@code GET /query} with {@code epoch=ms}.
     *
     * @throws IllegalStateException with the body on a non-2xx status or when the response reports an error
     */
    public String queryJson(final String db, final String influxql) {
        final String body = query(db, influxql);
        parseChecked(body, influxql);
        return body;
    }

    /**
     * All series of the result flattened into one map per point: "time" (epoch ms as {@link Long}), every tag of the
     * series and every column. Integral numbers are {@link Long}, others {@link Double}, nulls are kept. InfluxDB
     * prints a float field holding 21.0 as {@code 21}, so compare numbers through {@link Number#doubleValue()}.
     */
    public List<Map<String, Object>> rows(final String db, final String influxql) {
        return InfluxRows.flatten(parseChecked(query(db, influxql), influxql));
    }

    private String query(final String db, final String influxql) {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/query?db=" + encode(db)
                        + "&epoch=ms&q=" + encode(influxql)))
                .timeout(HTTP_TIMEOUT)
                .GET()
                .build();
        return send(request);
    }

    private static JsonNode parseChecked(final String body, final String statement) {
        final JsonNode response;
        try {
            response = JSON.readTree(body);
        } catch (final IOException e) {
            throw new IllegalStateException("InfluxDB answered " + statement + " with invalid JSON: " + body, e);
        }
        final String error = InfluxRows.firstError(response);
        if (error != null) {
            throw new IllegalStateException("InfluxDB refused " + statement + ": " + error + "; body: " + body);
        }
        return response;
    }

    private String send(final HttpRequest request) {
        final HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException("no answer from InfluxDB at " + request.uri(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for InfluxDB", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("InfluxDB answered " + request.method() + " " + request.uri().getPath()
                    + " with " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
