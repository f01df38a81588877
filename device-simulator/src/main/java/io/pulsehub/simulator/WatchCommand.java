package io.pulsehub.simulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulsehub.contract.Identifiers;
import io.pulsehub.contract.Topics;
import io.pulsehub.simulator.credentials.CredentialsFile;
import io.pulsehub.simulator.credentials.DeviceCredentials;
import io.pulsehub.simulator.watch.AggregateWatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Logs in as an app (MQTT 5, password = app token) and prints every aggregate of the given "
                + "devices as it arrives, one line each: window start-end in local time, device, window, and per "
                + "metric mean/min/max/count. Runs until Ctrl-C or --duration. Exit code 1 if the hub refuses a "
                + "subscription, 2 if it cannot be reached or refuses the login.")
final class WatchCommand implements Callable<Integer> {

    /** A window name is one topic level: no separators or wildcards. */
    private static final Pattern WINDOW = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    private Simulator simulator;

    @Spec
    private CommandSpec spec;

    @Option(names = "--token", paramLabel = "JWT", description = "App token (default: $HUB_APP_TOKEN).")
    private String token;

    @Option(names = "--device", paramLabel = "ID", split = ",",
            description = "Device to watch; repeat or separate by commas.")
    private List<String> devices = new ArrayList<>();

    @Option(names = "--credentials", paramLabel = "FILE",
            description = "Watch every device listed in FILE (the format of run --credentials).")
    private Path credentialsFile;

    @Option(names = "--window", paramLabel = "WINDOW",
            description = "Only this window, e.g. 10s or 1m (default: every window).")
    private String window;

    @Option(names = "--mqtt-url", paramLabel = "URL",
            description = "The hub's MQTT listener (default: $HUB_MQTT_URL, else " + RunCommand.DEFAULT_MQTT_URL
                    + ").")
    private String mqttUrl;

    @Option(names = "--username", paramLabel = "NAME",
            description = "MQTT username (default: the token's owner); the hub goes by the token.")
    private String username;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 30s (default: until Ctrl-C).")
    private Duration duration;

    @Override
    public Integer call() throws InterruptedException {
        final String appToken = token != null ? token : simulator.env("HUB_APP_TOKEN");
        if (appToken == null || appToken.isBlank()) {
            throw usage("no app token: give --token or set HUB_APP_TOKEN (see the app-token command)");
        }
        if (window != null && !WINDOW.matcher(window).matches()) {
            throw usage("--window '" + window + "' is not a window name such as 10s or 1m");
        }
        final List<String> filters = new ArrayList<>();
        for (final String device : deviceIds()) {
            filters.add(window == null ? Topics.aggregatesFilter(device) : Topics.aggregate(device, window));
        }
        final String url = mqttUrl != null ? mqttUrl : simulator.env("HUB_MQTT_URL", RunCommand.DEFAULT_MQTT_URL);
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread onInterrupt = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(3, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watch-stop");
        try (AggregateWatcher watcher = new AggregateWatcher(url, username != null ? username : ownerOf(appToken),
                appToken, filters, spec.commandLine().getOut(), spec.commandLine().getErr(), ZoneId.systemDefault())) {
            final List<String> refused = watcher.start();
            if (!refused.isEmpty()) {
                refused.forEach(reason -> spec.commandLine().getErr().println("subscription refused: " + reason));
                return Simulator.EXIT_NOT_ACKNOWLEDGED;
            }
            spec.commandLine().getErr().println("watching " + String.join(", ", filters) + " (Ctrl-C to stop)");
            spec.commandLine().getErr().flush();
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            if (duration == null) {
                stop.await();
            } else {
                stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
            return Simulator.EXIT_OK;
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (final IllegalStateException shuttingDown) {
                // Ctrl-C: the hook waits for the countDown above
            }
        }
    }

    private Set<String> deviceIds() {
        final Set<String> ids = new LinkedHashSet<>();
        for (final String device : devices) {
            final String id = device.strip();
            final String problem = Identifiers.deviceIdProblem(id);
            if (problem != null) {
                throw usage("--device '" + id + "': " + problem);
            }
            ids.add(id);
        }
        if (credentialsFile != null) {
            CredentialsFile.read(credentialsFile).stream().map(DeviceCredentials::id).forEach(ids::add);
        }
        if (ids.isEmpty()) {
            throw usage("no devices to watch: give --device ID or --credentials FILE");
        }
        return ids;
    }

    /** The token's subject, read without verifying (the hub verifies); "app" when it cannot be read. */
    static String ownerOf(final String jwt) {
        final String[] parts = jwt.split("\\.");
        if (parts.length == 3) {
            try {
                final JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                        StandardCharsets.UTF_8));
                final JsonNode subject = claims.get("sub");
                if (subject != null && subject.isTextual() && !subject.asText().isBlank()) {
                    return subject.asText();
                }
            } catch (final Exception e) {
                // fall through: the username is informational only
            }
        }
        return "app";
    }

    private ParameterException usage(final String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
