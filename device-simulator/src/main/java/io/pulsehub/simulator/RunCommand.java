package io.pulsehub.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.pulsehub.contract.Identifiers;
import io.pulsehub.simulator.credentials.CredentialsFile;
import io.pulsehub.simulator.credentials.DeviceCredentials;
import io.pulsehub.simulator.credentials.DeviceProvisioner;
import io.pulsehub.simulator.load.LoadRun;
import io.pulsehub.simulator.load.LoadSettings;
import io.pulsehub.simulator.load.MqttVersion;
import io.pulsehub.simulator.load.OfflineSettings;
import io.pulsehub.simulator.load.RunResult;
import io.pulsehub.simulator.profile.Profile;
import io.pulsehub.simulator.report.Summary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = {
                "Simulates devices that publish readings to devices/{id}/telemetry, one MQTT client per device, and "
                        + "reports how many the hub acknowledged and how fast (live on stderr, summary on stdout).",
                "",
                "Credentials: either the devices are provisioned through the hub's HTTP API (admin token from "
                        + "--admin-token or HUB_ADMIN_TOKEN; a device that exists is deleted and created again to "
                        + "obtain a token), or they are read from --credentials FILE.",
                ""},
        footer = {"",
                "Credentials file format: " + CredentialsFile.FORMAT_HELP + ". --credentials-out writes this format.",
                "",
                "Runs until the count or duration is reached, or until Ctrl-C when neither is given. Exit code 0 "
                        + "only if every reading sent was acknowledged (QoS 0: written); 1 otherwise; 2 for bad "
                        + "options or an unreachable hub."})
final class RunCommand implements Callable<Integer> {

    static final String DEFAULT_MQTT_URL = "tcp://127.0.0.1:1883";
    static final String DEFAULT_HTTP_URL = "http://127.0.0.1:8080";
    static final String DEFAULT_OWNER = "demo";
    private static final int DEFAULT_DEVICES = 10;

    @ParentCommand
    private Simulator simulator;

    @Spec
    private CommandSpec spec;

    @Option(names = "--devices", paramLabel = "N",
            description = "Devices to simulate (default " + DEFAULT_DEVICES + "; with --credentials: every device "
                    + "in the file).")
    private Integer devices;

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "thermostat",
            description = "thermostat (temperature, humidity) or wearable (heart_rate, steps); readings also carry "
                    + "battery, rssi, seq and the like, 100-200 bytes of JSON with \"ts\". Default: "
                    + "${DEFAULT-VALUE}.")
    private Profile profile;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "1",
            description = "Readings per second per device, decimal (0.2 = one every 5 s); 0 = as fast as the "
                    + "in-flight window allows. Default: ${DEFAULT-VALUE}.")
    private double rate;

    @Option(names = "--qos", paramLabel = "0|1|2", defaultValue = "1",
            description = "QoS of the publishes. Default: ${DEFAULT-VALUE}.")
    private int qos;

    @Option(names = "--mqtt-version", paramLabel = "3|5", defaultValue = "5", converter = MqttVersionConverter.class,
            description = "MQTT 3.1.1 or 5. Default: 5.")
    private MqttVersion mqttVersion;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Limit limit;

    static final class Limit {
        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long to publish, e.g. 30s, 2m, 1h.")
        private Duration duration;

        @Option(names = "--count", paramLabel = "N", description = "Readings to publish per device.")
        private Long count;
    }

    @Option(names = "--mqtt-url", paramLabel = "URL",
            description = "The hub's MQTT listener (default: $HUB_MQTT_URL, else " + DEFAULT_MQTT_URL + ").")
    private String mqttUrl;

    @Option(names = "--max-inflight", paramLabel = "N", defaultValue = "" + LoadSettings.DEFAULT_MAX_INFLIGHT,
            description = "Unacknowledged publishes per client at most (MQTT 5: also bounded by the hub's Receive "
                    + "Maximum). Default: ${DEFAULT-VALUE}.")
    private int maxInflight;

    @Option(names = "--credentials", paramLabel = "FILE",
            description = "Read device ids and tokens from FILE instead of provisioning (format below).")
    private Path credentialsFile;

    @Option(names = "--http-url", paramLabel = "URL",
            description = "The hub's HTTP API for provisioning (default: $HUB_HTTP_URL, else " + DEFAULT_HTTP_URL
                    + ").")
    private String httpUrl;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Admin bearer token for provisioning (default: $HUB_ADMIN_TOKEN).")
    private String adminToken;

    @Option(names = "--owner", paramLabel = "OWNER",
            description = "Owner of provisioned devices (default: " + DEFAULT_OWNER + ").")
    private String owner;

    @Option(names = "--prefix", paramLabel = "PREFIX",
            description = "Provisioned device ids are PREFIX-1 ... PREFIX-N (default: sim-<profile>).")
    private String prefix;

    @Option(names = "--credentials-out", paramLabel = "FILE",
            description = "Write the provisioned devices' credentials to FILE (mode 600).")
    private Path credentialsOut;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    private Path jsonFile;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long to wait for outstanding acknowledgements at the end. Default: ${DEFAULT-VALUE}.")
    private Duration drainTimeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long a device waits for its CONNACK. Default: ${DEFAULT-VALUE}.")
    private Duration connectTimeout;

    @Option(names = "--clean-session",
            description = "Clean sessions. By default sessions persist, so Paho resends unacknowledged publishes "
                    + "after a reconnect.")
    private boolean cleanSession;

    @Option(names = "--offline-after", paramLabel = "N",
            description = "Each device goes offline once after N live readings: it disconnects, keeps taking "
                    + "readings (with their own ts) into a buffer, and uploads them as array payloads when it is back.")
    private Long offlineAfter;

    @Option(names = "--offline-for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a device stays offline with --offline-after (default 5s).")
    private Duration offlineFor;

    @Option(names = "--upload-batch", paramLabel = "N",
            description = "Buffered readings per uploaded array payload (1-1000, default "
                    + OfflineSettings.DEFAULT_BATCH_SIZE + ").")
    private Integer uploadBatch;

    @Option(names = "--latency-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Record acknowledgement latencies only for publishes sent at least this long after "
                    + "publishing started (this JVM's warm-up is not the hub's latency); counts include every "
                    + "publish. Default: every publish is measured.")
    private Duration latencyAfter;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for the readings' random walks (default: random).")
    private Long seed;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on stderr.")
    private boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        final LoadSettings settings = settings();
        final List<DeviceCredentials> credentials = credentials();
        final LoadRun run = new LoadRun(settings, credentials, spec.commandLine().getErr(), !quiet,
                System.console() != null);
        final CountDownLatch reported = new CountDownLatch(1);
        final Thread onInterrupt = new Thread(() -> {
            run.requestStop();
            try {
                // The JVM exits when the hooks return: give the run time to drain and print its summary.
                reported.await(drainTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulator-stop");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            final RunResult result = run.run();
            final Summary summary = Summary.of(settings, result);
            spec.commandLine().getOut().print(summary.toText());
            spec.commandLine().getOut().flush();
            if (jsonFile != null) {
                summary.writeJson(jsonFile);
            }
            return result.everythingAcknowledged() ? Simulator.EXIT_OK : Simulator.EXIT_NOT_ACKNOWLEDGED;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (final IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for the countDown above
            }
        }
    }

    private LoadSettings settings() {
        if (devices != null && devices < 1) {
            throw usage("--devices must be at least 1");
        }
        if (limit != null && limit.count != null && limit.count < 1) {
            throw usage("--count must be at least 1");
        }
        try {
            return new LoadSettings(profile, rate, qos, mqttVersion,
                    mqttUrl != null ? mqttUrl : simulator.env("HUB_MQTT_URL", DEFAULT_MQTT_URL), maxInflight,
                    limit == null ? null : limit.duration, limit == null || limit.count == null ? 0 : limit.count,
                    drainTimeout, cleanSession, seed != null ? seed : ThreadLocalRandom.current().nextLong(),
                    connectTimeout, offline(), latencyAfter != null ? latencyAfter : Duration.ZERO);
        } catch (final IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private OfflineSettings offline() {
        if (offlineAfter == null) {
            if (offlineFor != null || uploadBatch != null) {
                throw usage("--offline-for and --upload-batch need --offline-after");
            }
            return null;
        }
        return new OfflineSettings(offlineAfter, offlineFor != null ? offlineFor : Duration.ofSeconds(5),
                uploadBatch != null ? uploadBatch : OfflineSettings.DEFAULT_BATCH_SIZE);
    }

    private List<DeviceCredentials> credentials() {
        if (credentialsFile != null) {
            final List<String> provisioningOnly = new ArrayList<>();
            if (httpUrl != null) {
                provisioningOnly.add("--http-url");
            }
            if (adminToken != null) {
                provisioningOnly.add("--admin-token");
            }
            if (owner != null) {
                provisioningOnly.add("--owner");
            }
            if (prefix != null) {
                provisioningOnly.add("--prefix");
            }
            if (credentialsOut != null) {
                provisioningOnly.add("--credentials-out");
            }
            if (!provisioningOnly.isEmpty()) {
                throw usage(String.join(", ", provisioningOnly) + " only apply when provisioning; with "
                        + "--credentials the devices come from the file");
            }
            final List<DeviceCredentials> fromFile = CredentialsFile.read(credentialsFile);
            if (devices == null) {
                return fromFile;
            }
            if (devices > fromFile.size()) {
                throw usage("--devices " + devices + " but " + credentialsFile + " lists only " + fromFile.size());
            }
            return fromFile.subList(0, devices);
        }
        return provision();
    }

    private List<DeviceCredentials> provision() {
        final String token = adminToken != null ? adminToken : simulator.env("HUB_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            throw usage("no device credentials: give --credentials FILE, or an admin token (--admin-token or "
                    + "HUB_ADMIN_TOKEN) to provision devices through the hub's HTTP API");
        }
        final String ownerId = owner != null ? owner : DEFAULT_OWNER;
        final String ownerProblem = Identifiers.ownerIdProblem(ownerId);
        if (ownerProblem != null) {
            throw usage("--owner: " + ownerProblem);
        }
        final int count = devices != null ? devices : DEFAULT_DEVICES;
        final String idPrefix = prefix != null ? prefix : "sim-" + profile.cliName();
        final List<String> ids = new ArrayList<>();
        for (int number = 1; number <= count; number++) {
            ids.add(idPrefix + "-" + number);
        }
        final String idProblem = Identifiers.deviceIdProblem(ids.get(ids.size() - 1));
        if (idProblem != null) {
            throw usage("--prefix '" + idPrefix + "' makes invalid device ids: " + idProblem);
        }
        final URI api;
        try {
            api = URI.create(httpUrl != null ? httpUrl : simulator.env("HUB_HTTP_URL", DEFAULT_HTTP_URL));
            if (!"http".equals(api.getScheme()) && !"https".equals(api.getScheme()) || api.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (final IllegalArgumentException e) {
            throw usage("--http-url: " + e.getMessage());
        }
        final List<DeviceCredentials> provisioned = new DeviceProvisioner(api, token).provision(ids, ownerId);
        if (credentialsOut != null) {
            CredentialsFile.write(credentialsOut, provisioned);
        }
        return provisioned;
    }

    private ParameterException usage(final String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
