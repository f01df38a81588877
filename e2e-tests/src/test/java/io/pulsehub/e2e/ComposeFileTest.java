package io.pulsehub.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docker-compose.yml checked without a Docker engine (the build machines have none): it parses, its images are
 * pinned, everything it mounts or copies exists in the repository or is what {@code mvn package} builds, every HUB_*
 * variable it hands a service is one that service's code reads, ports are published on loopback only, and health
 * checks and {@code depends_on} agree.
 */
class ComposeFileTest {

    /** The secrets compose refuses to start without; any value will do for the checks. */
    private static final Map<String, String> SECRETS = Map.of(
            "HUB_JWT_SECRET", "j".repeat(48),
            "HUB_SERVICE_TOKEN", "s".repeat(32),
            "HUB_ADMIN_TOKEN", "a".repeat(32),
            "HUB_GRAFANA_ADMIN_PASSWORD", "g".repeat(24));
    private static final Set<String> CONDITIONS =
            Set.of("service_started", "service_healthy", "service_completed_successfully");
    private static final Pattern JAVA_NAME = Pattern.compile("\"(HUB_[A-Z0-9_]+)\"");
    private static final Pattern PLACEHOLDER_NAME = Pattern.compile("\\$\\{(HUB_[A-Z0-9_]+)");
    private static final Pattern SHELL_NAME = Pattern.compile("\\b(HUB_[A-Z0-9_]+)\\b");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    private static final Pattern ARG = Pattern.compile("(?m)^ARG\\s+([A-Za-z_][A-Za-z0-9_]*)=(\\S+)");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?!--from)(.+)$");

    private static ComposeFile compose;
    private static Map<String, Object> file;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void read() throws IOException {
        compose = ComposeFile.read(ComposeFile.repositoryRoot());
        file = compose.interpolated(SECRETS::get);
        services = new LinkedHashMap<>();
        map(file, "services").forEach((name, service) -> services.put(name, asMap(service, name)));
    }

    @Test
    void runsTheWholeStack() {
        assertThat(services).containsKeys("redis", "influxdb", "hivemq", "bridge", "grafana", "simulator");
        assertThat(file.keySet()).allSatisfy(key -> assertThat(key)
                .matches("name|services|volumes|networks|configs|secrets|include|x-.+"));
        assertThat(list(services.get("simulator"), "profiles")).as("the simulator runs only on request")
                .containsExactly("demo");
        assertThat(String.valueOf(services.get("redis").get("command"))).as("Redis keeps the streams in its AOF")
                .contains("--appendonly", "yes");
    }

    @Test
    void redisAndTheBrokerAreTunedAsInTheLocalRun() throws IOException {
        final Matcher hz = Pattern.compile("--hz (\\d+)")
                .matcher(Files.readString(compose.root.resolve("hub"), StandardCharsets.UTF_8));
        assertThat(hz.find()).as("./hub starts Redis with --hz").isTrue();
        assertThat(list(services.get("redis"), "command")).as("Redis' timer, which ends the bridge's blocking reads")
                .containsSubsequence("--hz", hz.group(1));
        // The local run's default HUB_BROKER_RECEIVE_MAXIMUM (docs/configuration.md).
        assertThat(Files.readString(compose.root.resolve("docker/hivemq/config.xml"), StandardCharsets.UTF_8))
                .containsIgnoringWhitespaces(
                        "<receive-maximum><server-receive-maximum>32</server-receive-maximum></receive-maximum>");
    }

    @Test
    void refusesToStartWithoutItsSecrets() {
        for (final String secret : SECRETS.keySet()) {
            final Map<String, String> missingOne = new HashMap<>(SECRETS);
            missingOne.remove(secret);
            assertThatThrownBy(() -> compose.interpolated(missingOne::get)).as(secret)
                    .hasMessageContaining(secret);
        }
    }

    @Test
    void everyImageIsPinned() throws IOException {
        for (final Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            final Map<String, Object> definition = service.getValue();
            if (definition.containsKey("build")) {
                for (final String base : baseImages(dockerfile(service.getKey(), definition))) {
                    assertPinned(service.getKey() + " (base image)", base);
                }
            } else {
                assertThat(definition.get("image")).as(service.getKey() + " has an image").isInstanceOf(String.class);
                assertPinned(service.getKey(), (String) definition.get("image"));
            }
        }
    }

    @Test
    void everyMountedOrCopiedPathExistsOrIsBuildOutput() throws IOException {
        final Set<String> namedVolumes = map(file, "volumes").keySet();
        int bindMounts = 0;
        for (final Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            for (final Object volume : list(service.getValue(), "volumes")) {
                final Map<String, Object> mount = longSyntax(volume);
                if ("volume".equals(mount.get("type"))) {
                    assertThat(namedVolumes).as(service.getKey() + " uses a declared volume")
                            .contains((String) mount.get("source"));
                    continue;
                }
                assertThat(mount.get("type")).as(service.getKey() + " " + mount).isEqualTo("bind");
                assertRepositoryPath(service.getKey(), (String) mount.get("source"));
                bindMounts++;
            }
            if (service.getValue().containsKey("build")) {
                final Path dockerfile = dockerfile(service.getKey(), service.getValue());
                final Path context = context(service.getValue());
                final Matcher copy = COPY.matcher(Files.readString(dockerfile, StandardCharsets.UTF_8));
                while (copy.find()) {
                    final List<String> parts = List.of(copy.group(1).trim().split("\\s+"));
                    for (final String source : parts.subList(0, parts.size() - 1)) {
                        assertRepositoryPath(service.getKey() + " (COPY in " + dockerfile.getFileName() + ")",
                                compose.root.relativize(context.resolve(source)).toString());
                    }
                }
            }
        }
        assertThat(bindMounts).as("the extension, the broker config and Grafana's files are mounted").isEqualTo(4);
    }

    @Test
    void everyHubVariableAServiceGetsIsOneItsCodeReads() throws IOException {
        final Map<String, List<String>> sourcesOf = Map.of(
                "hivemq", List.of("hivemq-extension/src/main", "hivemq-extension/src/hivemq-extension",
                        "contract/src/main"),
                "bridge", List.of("bridge-service/src/main", "contract/src/main"),
                "simulator", List.of("device-simulator/src/main", "contract/src/main"));
        for (final Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            final Set<String> given = hubNames(environment(service.getValue()).keySet());
            if (!sourcesOf.containsKey(service.getKey())) {
                assertThat(given).as(service.getKey() + " is not PulseHub code and reads no HUB_ variable")
                        .isEmpty();
                continue;
            }
            final Set<String> read = namesReadBy(sourcesOf.get(service.getKey()));
            if (service.getKey().equals("hivemq")) {
                read.addAll(extensionOverrides());
            }
            assertThat(read).as("names found in the sources of " + service.getKey()).isNotEmpty();
            assertThat(given).as(service.getKey() + " gets only variables its code reads").isSubsetOf(read);
        }
        assertThat(environment(services.get("hivemq")).keySet()).as("what the extension refuses to start without")
                .contains("HUB_JWT_SECRET", "HUB_SERVICE_TOKEN", "HUB_REDIS_URL", "HUB_STREAM_PARTITIONS");
        assertThat(environment(services.get("bridge")).keySet()).as("what the bridge needs")
                .contains("HUB_ADMIN_TOKEN", "HUB_SERVICE_TOKEN", "HUB_REDIS_URL", "HUB_INFLUX_URL", "HUB_INFLUX_DB",
                        "HUB_MQTT_URL", "HUB_STREAM_PARTITIONS");
    }

    @Test
    void everyHubVariableTakenFromTheHostIsASettingOfTheHubOrDocumentedAsComposeOnly() throws IOException {
        final Set<String> hubSettings = new TreeSet<>(namesReadBy(List.of("hivemq-extension/src/main",
                "bridge-service/src/main", "device-simulator/src/main", "hub-broker/src/main", "contract/src/main")));
        final Matcher script =
                SHELL_NAME.matcher(Files.readString(compose.root.resolve("hub"), StandardCharsets.UTF_8));
        while (script.find()) {
            hubSettings.add(script.group(1));
        }
        final String reference =
                Files.readString(compose.root.resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        for (final String variable : hubNames(compose.interpolatedVariables())) {
            assertThat(reference).as(variable + " is in docs/configuration.md").contains("`" + variable + "`");
            if (!variable.startsWith("HUB_GRAFANA_")) {
                assertThat(hubSettings).as(variable + " is read by ./hub or the code").contains(variable);
            }
        }
    }

    @Test
    void portsArePublishedOnLoopbackUnlessHubBindSaysOtherwise() throws IOException {
        final Map<String, Set<Integer>> listening = Map.of(
                "hivemq", brokerListenerPorts(),
                "bridge", Set.of(Integer.parseInt(environment(services.get("bridge")).get("HUB_HTTP_PORT"))),
                "grafana", Set.of(3000));
        for (final Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            final List<Object> ports = list(service.getValue(), "ports");
            if (!listening.containsKey(service.getKey())) {
                assertThat(ports).as(service.getKey() + " publishes nothing").isEmpty();
                continue;
            }
            final Set<Integer> published = new HashSet<>();
            for (final Object port : ports) {
                assertThat(port).as(service.getKey() + ": short syntax host_ip:host:container")
                        .isInstanceOf(String.class);
                final String[] parts = ((String) port).split(":");
                assertThat(parts).as(service.getKey() + " " + port + " names the host address").hasSize(3);
                assertThat(parts[0]).as(service.getKey() + " " + port).isEqualTo("127.0.0.1");
                published.add(Integer.parseInt(parts[2]));
            }
            assertThat(published).as(service.getKey() + " publishes the ports it listens on")
                    .isEqualTo(listening.get(service.getKey()));
        }
        final Map<String, String> wide = new HashMap<>(SECRETS);
        wide.put("HUB_BIND", "0.0.0.0");
        wide.put("HUB_MQTT_PORT", "11883");
        final Map<String, Object> opened = compose.interpolated(wide::get);
        assertThat(list(asMap(map(opened, "services").get("hivemq"), "hivemq"), "ports"))
                .contains("0.0.0.0:11883:1883");
    }

    @Test
    void healthChecksAndDependenciesAgree() {
        for (final Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            final boolean onRequestOnly = service.getValue().containsKey("profiles");
            if (!onRequestOnly) {
                assertThat(service.getValue()).as(service.getKey() + " has a health check").containsKey("healthcheck");
                assertThat(asMap(service.getValue().get("healthcheck"), service.getKey()).get("test"))
                        .as(service.getKey() + " health check test").isInstanceOf(List.class);
            }
            for (final Map.Entry<String, Object> dependency : dependsOn(service.getValue()).entrySet()) {
                final String target = dependency.getKey();
                assertThat(services).as(service.getKey() + " depends on an existing service").containsKey(target);
                final String condition = String.valueOf(asMap(dependency.getValue(), target).get("condition"));
                assertThat(CONDITIONS).as(service.getKey() + " -> " + target).contains(condition);
                if (condition.equals("service_healthy")) {
                    assertThat(services.get(target)).as(target + " has the health check " + service.getKey()
                            + " waits for").containsKey("healthcheck");
                }
                if (!onRequestOnly) {
                    assertThat(services.get(target)).as(service.getKey() + " must not need a profile-only service")
                            .doesNotContainKey("profiles");
                }
            }
        }
        assertThat(dependsOn(services.get("hivemq"))).containsKey("redis");
        assertThat(dependsOn(services.get("bridge"))).containsKeys("redis", "influxdb", "hivemq");
        assertThat(dependsOn(services.get("grafana"))).containsKey("influxdb");
        for (final String service : services.keySet()) {
            assertThat(reachesItself(service, service, new HashSet<>())).as(service + " in a dependency cycle")
                    .isFalse();
        }
    }

    @Test
    void theServicesAgreeOnSharedSettingsAndAddresses() throws IOException {
        final Map<String, String> broker = environment(services.get("hivemq"));
        final Map<String, String> bridge = environment(services.get("bridge"));
        for (final String shared : List.of("HUB_REDIS_URL", "HUB_SERVICE_TOKEN", "HUB_STREAM_PARTITIONS")) {
            assertThat(bridge.get(shared)).as(shared).isEqualTo(broker.get(shared));
        }
        assertThat(URI.create(bridge.get("HUB_REDIS_URL"))).satisfies(uri -> {
            assertThat(uri.getHost()).isEqualTo("redis");
            assertThat(uri.getPort()).isEqualTo(6379);
        });
        assertThat(bridge.get("HUB_INFLUX_URL")).isEqualTo("http://influxdb:8086");
        assertThat(URI.create(bridge.get("HUB_MQTT_URL")).getHost()).isEqualTo("hivemq");
        assertThat(brokerListenerPorts()).contains(URI.create(bridge.get("HUB_MQTT_URL")).getPort());
        assertThat(environment(services.get("simulator"))).containsEntry("HUB_MQTT_URL", bridge.get("HUB_MQTT_URL"))
                .containsEntry("HUB_HTTP_URL", "http://bridge:" + bridge.get("HUB_HTTP_PORT"));

        final JsonNode datasource = new YAMLMapper().readTree(compose.root
                .resolve("grafana/provisioning/datasources/influxdb.yml").toFile()).path("datasources").path(0);
        assertThat(datasource.path("url").asText()).isEqualTo(bridge.get("HUB_INFLUX_URL"));
        assertThat(datasource.path("uid").asText()).isEqualTo("pulsehub-influx");
        assertThat(datasource.path("jsonData").path("dbName").asText()).isEqualTo(bridge.get("HUB_INFLUX_DB"))
                .isEqualTo(environment(services.get("influxdb")).get("INFLUXDB_DB"));

        final String home = environment(services.get("grafana")).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(compose.root.resolve("grafana/dashboards")
                .resolve(Path.of("/etc/grafana/dashboards").relativize(Path.of(home)))).isRegularFile();
    }

    // -------------------------------------------------------------------------------------------------------------

    private static void assertPinned(final String what, final String image) {
        assertThat(image).as(what + ": " + image + " needs a tag or digest")
                .matches(".+(:[^/:]+|@sha256:[0-9a-f]{64})");
        assertThat(image).as(what + ": latest is not a pin").doesNotEndWith(":latest");
        assertThat(image).as(what + ": " + image + " unresolved").doesNotContain("$");
    }

    private static void assertRepositoryPath(final String what, final String relative) {
        final Path path = compose.root.resolve(relative).normalize();
        assertThat(path.startsWith(compose.root)).as(what + ": " + relative + " stays inside the repository").isTrue();
        if (Path.of(relative).normalize().toString().contains("target/")) {
            assertThat(path).as(what + ": " + relative + " is built by ./mvnw package (run it first)").exists();
        } else {
            assertThat(path).as(what + ": " + relative + " is in the repository").exists();
        }
    }

    private static List<String> baseImages(final Path dockerfile) throws IOException {
        final String text = Files.readString(dockerfile, StandardCharsets.UTF_8);
        final Map<String, String> args = new HashMap<>();
        final Matcher arg = ARG.matcher(text);
        while (arg.find()) {
            args.put(arg.group(1), arg.group(2));
        }
        final List<String> images = new ArrayList<>();
        final Matcher from = FROM.matcher(text);
        while (from.find()) {
            images.add(ComposeFile.interpolate(from.group(1), args::get));
        }
        assertThat(images).as(dockerfile + " has a FROM").isNotEmpty();
        return images;
    }

    private static Path context(final Map<String, Object> service) {
        final Object build = service.get("build");
        final String context = build instanceof String text ? text : (String) asMap(build, "build").get("context");
        return compose.root.resolve(context).normalize();
    }

    private static Path dockerfile(final String name, final Map<String, Object> service) {
        final Object build = service.get("build");
        final String file = build instanceof Map<?, ?> map && map.get("dockerfile") != null
                ? (String) map.get("dockerfile") : "Dockerfile";
        final Path dockerfile = context(service).resolve(file);
        assertThat(dockerfile).as(name + " Dockerfile").isRegularFile();
        return dockerfile;
    }

    private static Map<String, Object> longSyntax(final Object volume) {
        if (volume instanceof Map<?, ?>) {
            return asMap(volume, "volume");
        }
        final String[] parts = ((String) volume).split(":");
        final Map<String, Object> mount = new HashMap<>();
        final boolean bind = parts[0].startsWith(".") || parts[0].startsWith("/");
        mount.put("type", bind ? "bind" : "volume");
        mount.put("source", parts[0]);
        mount.put("target", parts[1]);
        return mount;
    }

    private static Set<Integer> brokerListenerPorts() throws IOException {
        final String config =
                Files.readString(compose.root.resolve("docker/hivemq/config.xml"), StandardCharsets.UTF_8);
        final Set<Integer> ports = new HashSet<>();
        final Matcher port = Pattern.compile("<port>(\\d+)</port>").matcher(config);
        while (port.find()) {
            ports.add(Integer.parseInt(port.group(1)));
        }
        return ports;
    }

    private static Map<String, String> environment(final Map<String, Object> service) {
        final Object environment = service.get("environment");
        final Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> result.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> entries) {
            for (final Object entry : entries) {
                final String[] pair = String.valueOf(entry).split("=", 2);
                result.put(pair[0], pair.length > 1 ? pair[1] : null);
            }
        }
        return result;
    }

    private static Map<String, Object> dependsOn(final Map<String, Object> service) {
        final Object dependsOn = service.get("depends_on");
        if (dependsOn == null) {
            return Map.of();
        }
        assertThat(dependsOn).as("depends_on in long syntax, with a condition").isInstanceOf(Map.class);
        return asMap(dependsOn, "depends_on");
    }

    private static boolean reachesItself(final String start, final String current, final Set<String> seen) {
        for (final String next : dependsOn(services.get(current)).keySet()) {
            if (next.equals(start) || (seen.add(next) && reachesItself(start, next, seen))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> hubNames(final Set<String> names) {
        final Set<String> hub = new TreeSet<>();
        names.stream().filter(name -> name.startsWith("HUB_")).forEach(hub::add);
        return hub;
    }

    /**
     * The extension derives the override of every config.xml element from jwks-file on (HUB_ and the element name,
     * jwks-url is HUB_JWKS_URL), as its config.xml says; those names appear in no string literal.
     */
    private static Set<String> extensionOverrides() throws IOException {
        final String config = Files.readString(compose.root.resolve(
                "hivemq-extension/src/hivemq-extension/conf/config.xml"), StandardCharsets.UTF_8);
        final Matcher element = Pattern.compile("<([a-z][a-z0-9-]*)>").matcher(config);
        final Set<String> names = new TreeSet<>();
        boolean derived = false;
        while (element.find()) {
            derived |= element.group(1).equals("jwks-file");
            if (derived) {
                names.add("HUB_" + element.group(1).toUpperCase(Locale.ROOT).replace('-', '_'));
            }
        }
        assertThat(names).as("config.xml still documents jwks-file and the settings after it").isNotEmpty();
        return names;
    }

    /** HUB_ names in string literals of Java sources and in ${...} placeholders of resources. */
    private static Set<String> namesReadBy(final List<String> folders) throws IOException {
        final Set<String> names = new TreeSet<>();
        for (final String folder : folders) {
            final Path root = compose.root.resolve(folder);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).forEach(file -> {
                    final String name = file.getFileName().toString();
                    final Pattern pattern = name.endsWith(".java") ? JAVA_NAME
                            : name.matches(".+\\.(yml|yaml|xml|properties)") ? PLACEHOLDER_NAME : null;
                    if (pattern == null) {
                        return;
                    }
                    final Matcher matcher;
                    try {
                        matcher = pattern.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                });
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(final Object node, final String what) {
        assertThat(node).as(what + " is a mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    private static Map<String, Object> map(final Map<String, Object> parent, final String key) {
        final Object node = parent.get(key);
        return node == null ? Map.of() : asMap(node, key);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(final Map<String, Object> parent, final String key) {
        final Object node = parent.get(key);
        if (node == null) {
            return List.of();
        }
        assertThat(node).as(key + " is a list").isInstanceOf(List.class);
        return (List<Object>) node;
    }
}
