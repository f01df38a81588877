package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.BrokerStats;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.contract.ServiceIdentity;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.contract.TelemetryCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Builds the {@link ExtensionConfig} from {@code conf/config.xml}, environment overrides and the secrets in the
 * environment. Every problem found is reported at once, so an operator fixes the file in one go.
 */
public final class ConfigLoader {

    public static final String CONFIG_FILE = "conf/config.xml";
    public static final String REDIS_URL_ENV = "HUB_REDIS_URL";
    /** Service tokens are machine-generated; anything shorter is a typo or a placeholder. */
    public static final int MIN_SERVICE_TOKEN_BYTES = 16;

    static final String REDIS_URL = "redis-url";
    static final String STREAM_PARTITIONS = "stream-partitions";
    static final String WRITER_BATCH_SIZE = "writer-batch-size";
    static final String WRITER_QUEUE_CAPACITY = "writer-queue-capacity";
    static final String REDIS_TIMEOUT_MS = "redis-timeout-ms";
    static final String ACK_TIMEOUT_MS = "ack-timeout-ms";
    static final String JWKS_FILE = "jwks-file";
    static final String JWKS_URL = "jwks-url";
    static final String JWT_ISSUER = "jwt-issuer";
    static final String JWT_AUDIENCE = "jwt-audience";
    static final String JWT_CLOCK_SKEW_S = "jwt-clock-skew-s";
    static final String LOGIN_FREE_FAILURES_PER_CLIENT = "login-free-failures-per-client";
    static final String LOGIN_FREE_FAILURES_PER_ADDRESS = "login-free-failures-per-address";
    static final String LOGIN_DELAY_BASE_MS = "login-delay-base-ms";
    static final String LOGIN_DELAY_MAX_MS = "login-delay-max-ms";
    static final String LOGIN_BLOCK_AFTER_FAILURES_PER_ADDRESS = "login-block-after-failures-per-address";
    static final String LOGIN_BLOCK_S = "login-block-s";
    static final String LOGIN_FAILURE_MEMORY_S = "login-failure-memory-s";
    static final String DEVICE_PUBLISH_RATE = "device-publish-rate";
    static final String DEVICE_PUBLISH_BURST = "device-publish-burst";
    static final String MAX_PAYLOAD_BYTES = "max-payload-bytes";
    static final String MAX_READINGS_PER_PAYLOAD = "max-readings-per-payload";
    static final String BACKLOG_HIGH_WATER_MARK = "backlog-high-water-mark";
    static final String BACKLOG_SAMPLE_MS = "backlog-sample-ms";
    static final String BROKER_NODE = "broker-node";
    static final String BROKER_STATS_INTERVAL_MS = "broker-stats-interval-ms";
    private static final Set<String> SETTINGS = new LinkedHashSet<>(List.of(REDIS_URL, STREAM_PARTITIONS,
            WRITER_BATCH_SIZE, WRITER_QUEUE_CAPACITY, REDIS_TIMEOUT_MS, ACK_TIMEOUT_MS, JWKS_FILE, JWKS_URL,
            JWT_ISSUER, JWT_AUDIENCE, JWT_CLOCK_SKEW_S, LOGIN_FREE_FAILURES_PER_CLIENT,
            LOGIN_FREE_FAILURES_PER_ADDRESS, LOGIN_DELAY_BASE_MS, LOGIN_DELAY_MAX_MS,
            LOGIN_BLOCK_AFTER_FAILURES_PER_ADDRESS, LOGIN_BLOCK_S, LOGIN_FAILURE_MEMORY_S, DEVICE_PUBLISH_RATE,
            DEVICE_PUBLISH_BURST, MAX_PAYLOAD_BYTES, MAX_READINGS_PER_PAYLOAD, BACKLOG_HIGH_WATER_MARK,
            BACKLOG_SAMPLE_MS, BROKER_NODE, BROKER_STATS_INTERVAL_MS));

    /** The writer may need a pool wait, a connect and a read before it answers; HiveMQ must wait longer. */
    static final int ACK_TIMEOUT_PER_REDIS_TIMEOUT = 3;

    private static final Pattern DATABASE_PATH = Pattern.compile("/([0-9]{1,4})?");
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    private final @NotNull Function<String, String> environment;
    private final @NotNull Supplier<String> hostName;

    /** @param environment variable name → value or {@code null}; {@code System::getenv} in production */
    public ConfigLoader(final @NotNull Function<String, String> environment) {
        this(environment, ConfigLoader::localHostName);
    }

    /** @param hostName the default broker node name */
    ConfigLoader(final @NotNull Function<String, String> environment, final @NotNull Supplier<String> hostName) {
        this.environment = environment;
        this.hostName = hostName;
    }

    public @NotNull ExtensionConfig load(final @NotNull Path configFile) throws InvalidConfigException {
        final Map<String, String> file = ConfigFile.read(configFile, SETTINGS);
        final List<String> problems = new ArrayList<>();
        final Values values = new Values(configFile, file, problems);

        final URI redisUrl = redisUrl(values.text(REDIS_URL, REDIS_URL_ENV, ExtensionConfig.DEFAULT_REDIS_URL),
                problems);
        final int partitions = values.integer(STREAM_PARTITIONS, StreamLayout.PARTITIONS_ENV,
                ExtensionConfig.DEFAULT_STREAM_PARTITIONS, 1, 1024);
        final int batchSize = values.integer(WRITER_BATCH_SIZE, null,
                ExtensionConfig.DEFAULT_WRITER_BATCH_SIZE, 1, 10_000);
        final int queueCapacity = values.integer(WRITER_QUEUE_CAPACITY, null,
                ExtensionConfig.DEFAULT_WRITER_QUEUE_CAPACITY, 1, 1_000_000);
        final int redisTimeoutMs = values.integer(REDIS_TIMEOUT_MS, null,
                ExtensionConfig.DEFAULT_REDIS_TIMEOUT_MS, 50, 60_000);
        final int ackTimeoutMs = values.integer(ACK_TIMEOUT_MS, null,
                ExtensionConfig.DEFAULT_ACK_TIMEOUT_MS, 150, 600_000);
        if (queueCapacity < batchSize) {
            problems.add(WRITER_QUEUE_CAPACITY + " (" + queueCapacity + ") must be at least " + WRITER_BATCH_SIZE
                    + " (" + batchSize + ")");
        }
        if (ackTimeoutMs < ACK_TIMEOUT_PER_REDIS_TIMEOUT * (long) redisTimeoutMs) {
            problems.add(ACK_TIMEOUT_MS + " (" + ackTimeoutMs + ") must be at least " + ACK_TIMEOUT_PER_REDIS_TIMEOUT
                    + " x " + REDIS_TIMEOUT_MS + " (" + redisTimeoutMs + "), or HiveMQ gives up on a publish "
                    + "that the writer may still store");
        }
        final JwtSettings jwt = jwt(values, problems);
        final LoginThrottleSettings throttle = loginThrottle(values, problems);
        final Limits limits = limits(values);
        final BrokerStatsSettings brokerStats = brokerStats(values, problems);
        final Secrets secrets = secrets(problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("invalid configuration: " + String.join("; ", problems));
        }
        return new ExtensionConfig(redisUrl, partitions, batchSize, queueCapacity,
                Duration.ofMillis(redisTimeoutMs), Duration.ofMillis(ackTimeoutMs), secrets, jwt, throttle, limits,
                brokerStats);
    }

    /** New settings take their override from {@code HUB_} and the element name: jwks-url is HUB_JWKS_URL. */
    static @NotNull String envOf(final @NotNull String setting) {
        return "HUB_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static @NotNull JwtSettings jwt(final @NotNull Values values, final @NotNull List<String> problems) {
        final String file = values.optional(JWKS_FILE, "only HS256 app tokens are accepted unless jwks-url is set");
        final String url = values.optional(JWKS_URL, "only HS256 app tokens are accepted unless jwks-file is set");
        final String issuer = values.optional(JWT_ISSUER, "the iss claim of app tokens is not checked");
        final String audience = values.optional(JWT_AUDIENCE, "the aud claim of app tokens is not checked");
        final int skew = values.integer(JWT_CLOCK_SKEW_S, JwtSettings.DEFAULT_CLOCK_SKEW_S, 0, 300);
        if (file != null && url != null) {
            problems.add(JWKS_FILE + " and " + JWKS_URL + " are both set; configure one source of public keys");
        }
        final Path jwksFile = file == null ? null : Path.of(file);
        final JWKSet jwks = jwksFile == null ? null : jwks(jwksFile, problems);
        return new JwtSettings(jwksFile, jwks, url == null ? null : jwksUrl(url, problems), issuer, audience,
                Duration.ofSeconds(skew));
    }

    /** Public signing keys only: a private key has no business on the broker, so a file with one is refused. */
    private static @Nullable JWKSet jwks(final @NotNull Path file, final @NotNull List<String> problems) {
        final JWKSet set;
        try {
            set = JWKSet.load(file.toFile());
        } catch (final IOException e) {
            problems.add(JWKS_FILE + " " + file + " cannot be read: " + e.getMessage());
            return null;
        } catch (final ParseException e) {
            problems.add(JWKS_FILE + " " + file + " is not a JWK set: " + e.getMessage());
            return null;
        }
        if (set.containsNonPublicKeys()) {
            problems.add(JWKS_FILE + " " + file + " contains private or secret keys; give the hub public keys only");
            return null;
        }
        final List<JWK> signingKeys = set.getKeys().stream()
                .filter(key -> KeyType.RSA.equals(key.getKeyType()) || KeyType.EC.equals(key.getKeyType()))
                .filter(key -> key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))
                .toList();
        if (signingKeys.isEmpty()) {
            problems.add(JWKS_FILE + " " + file + " holds no RSA or EC signing key");
            return null;
        }
        return new JWKSet(signingKeys);
    }

    /** https, or plain http to this machine only (a local identity provider); keys must not travel in the clear. */
    private static @Nullable URI jwksUrl(final @NotNull String text, final @NotNull List<String> problems) {
        final URI uri;
        try {
            uri = new URI(text);
        } catch (final URISyntaxException e) {
            problems.add(JWKS_URL + " is not a URL: " + e.getReason());
            return null;
        }
        if (uri.getHost() == null) {
            problems.add(JWKS_URL + " has no host");
            return null;
        }
        if ("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && isLoopback(uri.getHost()))) {
            return uri;
        }
        problems.add(JWKS_URL + " must be an https:// URL (plain http only to a loopback address)");
        return null;
    }

    private static boolean isLoopback(final @NotNull String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        // Only literal addresses: a name would need a lookup, and DNS decides nothing about trust.
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (final UnknownHostException e) {
            return false;
        }
    }

    private static @NotNull LoginThrottleSettings loginThrottle(final @NotNull Values values,
                                                                final @NotNull List<String> problems) {
        final int perClient = values.integer(LOGIN_FREE_FAILURES_PER_CLIENT,
                LoginThrottleSettings.DEFAULT_FREE_FAILURES_PER_CLIENT, 0, 1_000_000);
        final int perAddress = values.integer(LOGIN_FREE_FAILURES_PER_ADDRESS,
                LoginThrottleSettings.DEFAULT_FREE_FAILURES_PER_ADDRESS, 0, 1_000_000);
        final int baseMs = values.integer(LOGIN_DELAY_BASE_MS, LoginThrottleSettings.DEFAULT_DELAY_BASE_MS,
                1, 60_000);
        final int maxMs = values.integer(LOGIN_DELAY_MAX_MS, LoginThrottleSettings.DEFAULT_DELAY_MAX_MS, 1, 60_000);
        final int blockAfter = values.integer(LOGIN_BLOCK_AFTER_FAILURES_PER_ADDRESS,
                LoginThrottleSettings.DEFAULT_BLOCK_AFTER_FAILURES_PER_ADDRESS, 0, 1_000_000);
        final int blockS = values.integer(LOGIN_BLOCK_S, LoginThrottleSettings.DEFAULT_BLOCK_S, 1, 86_400);
        final int memoryS = values.integer(LOGIN_FAILURE_MEMORY_S, LoginThrottleSettings.DEFAULT_FAILURE_MEMORY_S,
                1, 86_400);
        if (maxMs < baseMs) {
            problems.add(LOGIN_DELAY_MAX_MS + " (" + maxMs + ") must be at least " + LOGIN_DELAY_BASE_MS + " ("
                    + baseMs + ")");
        }
        if (blockAfter != 0 && blockAfter <= perAddress) {
            problems.add(LOGIN_BLOCK_AFTER_FAILURES_PER_ADDRESS + " (" + blockAfter + ") must be 0 (never block) "
                    + "or more than " + LOGIN_FREE_FAILURES_PER_ADDRESS + " (" + perAddress + ")");
        }
        return new LoginThrottleSettings(perClient, perAddress, Duration.ofMillis(baseMs), Duration.ofMillis(maxMs),
                blockAfter, Duration.ofSeconds(blockS), Duration.ofSeconds(memoryS));
    }

    private static @NotNull Limits limits(final @NotNull Values values) {
        final int rate = values.integer(DEVICE_PUBLISH_RATE, Limits.DEFAULT_DEVICE_PUBLISH_RATE, 1, 1_000_000);
        final int burst = values.integer(DEVICE_PUBLISH_BURST, Limits.DEFAULT_DEVICE_PUBLISH_BURST, 1, 1_000_000);
        final int payload = values.integer(MAX_PAYLOAD_BYTES, Limits.DEFAULT_MAX_PAYLOAD_BYTES, 16,
                64 * 1024 * 1024);
        final int readings = values.integer(MAX_READINGS_PER_PAYLOAD, TelemetryCodec.MAX_READINGS_PER_PAYLOAD, 1,
                TelemetryCodec.MAX_READINGS_PER_PAYLOAD);
        final long highWater = values.longInteger(BACKLOG_HIGH_WATER_MARK, Limits.DEFAULT_BACKLOG_HIGH_WATER_MARK,
                1, Long.MAX_VALUE);
        final int sampleMs = values.integer(BACKLOG_SAMPLE_MS, Limits.DEFAULT_BACKLOG_SAMPLE_MS, 50, 60_000);
        return new Limits(rate, burst, payload, readings, highWater, Duration.ofMillis(sampleMs));
    }

    private @NotNull BrokerStatsSettings brokerStats(final @NotNull Values values,
                                                     final @NotNull List<String> problems) {
        final String node = values.text(BROKER_NODE, envOf(BROKER_NODE), hostName.get());
        if (!BrokerStats.isNodeName(node)) {
            // The name becomes a Redis key and an InfluxDB tag; it is not quoted, it may be anything.
            problems.add(BROKER_NODE + " (" + envOf(BROKER_NODE) + ", default the host name) must match "
                    + "[A-Za-z0-9_.:-]{1,128}");
        }
        final int intervalMs = values.integer(BROKER_STATS_INTERVAL_MS, BrokerStatsSettings.DEFAULT_INTERVAL_MS, 100,
                Math.toIntExact(BrokerStats.MAX_INTERVAL.toMillis()));
        return new BrokerStatsSettings(node, Duration.ofMillis(intervalMs));
    }

    /** The host name, as the bridge's consumer name defaults to it; where Java cannot tell one, a fixed fallback. */
    private static @NotNull String localHostName() {
        try {
            final String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? BrokerStatsSettings.FALLBACK_NODE : name;
        } catch (final UnknownHostException e) {
            return BrokerStatsSettings.FALLBACK_NODE;
        }
    }

    private @Nullable Secrets secrets(final @NotNull List<String> problems) {
        final int problemsBefore = problems.size();
        final String jwtSecret = env(AppTokens.JWT_SECRET_ENV);
        final String serviceToken = env(ServiceIdentity.SERVICE_TOKEN_ENV);
        if (jwtSecret == null) {
            problems.add(AppTokens.JWT_SECRET_ENV + " is not set; it must hold at least "
                    + AppTokens.MIN_SECRET_BYTES + " bytes");
        } else if (jwtSecret.getBytes(StandardCharsets.UTF_8).length < AppTokens.MIN_SECRET_BYTES) {
            problems.add(AppTokens.JWT_SECRET_ENV + " is shorter than " + AppTokens.MIN_SECRET_BYTES + " bytes");
        }
        if (serviceToken == null) {
            problems.add(ServiceIdentity.SERVICE_TOKEN_ENV + " is not set; the bridge cannot log in without it");
        } else if (serviceToken.getBytes(StandardCharsets.UTF_8).length < MIN_SERVICE_TOKEN_BYTES) {
            problems.add(ServiceIdentity.SERVICE_TOKEN_ENV + " is shorter than " + MIN_SERVICE_TOKEN_BYTES
                    + " bytes");
        }
        if (problems.size() > problemsBefore || jwtSecret == null || serviceToken == null) {
            return null;
        }
        return new Secrets(jwtSecret.getBytes(StandardCharsets.UTF_8), DeviceTokens.sha256(serviceToken));
    }

    private static @Nullable URI redisUrl(final @NotNull String text, final @NotNull List<String> problems) {
        final URI uri;
        try {
            uri = new URI(text);
        } catch (final URISyntaxException e) {
            problems.add(REDIS_URL + " is not a URL: " + e.getReason());
            return null;
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            problems.add(REDIS_URL + " must start with redis:// or rediss://");
        } else if (uri.getHost() == null) {
            problems.add(REDIS_URL + " has no host");
        } else if (uri.getPath() != null && !uri.getPath().isEmpty()
                && !DATABASE_PATH.matcher(uri.getPath()).matches()) {
            problems.add(REDIS_URL + " path must be a database number such as /0");
        }
        return uri;
    }

    /** A blank variable counts as unset, so that an empty export cannot override the file by accident. */
    private @Nullable String env(final @NotNull String name) {
        final String value = environment.apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** Resolves one setting: environment, then file, then default, saying which one it used. */
    private final class Values {

        private final @NotNull Path file;
        private final @NotNull Map<String, String> fromFile;
        private final @NotNull List<String> problems;

        Values(final @NotNull Path file, final @NotNull Map<String, String> fromFile,
               final @NotNull List<String> problems) {
            this.file = file;
            this.fromFile = fromFile;
            this.problems = problems;
        }

        @NotNull String text(final @NotNull String setting, final @Nullable String envName,
                             final @NotNull String defaultValue) {
            final String fromEnv = envName == null ? null : env(envName);
            if (fromEnv != null) {
                log.info("{} taken from {}", setting, envName);
                return fromEnv.trim();
            }
            final String value = fromFile.get(setting);
            if (value == null || value.isEmpty()) {
                log.info("{} not set in {}; using the default {}", setting, file, defaultValue);
                return defaultValue;
            }
            return value;
        }

        /** A setting without a default: {@code null} when neither environment nor file sets it. */
        @Nullable String optional(final @NotNull String setting, final @NotNull String whenUnset) {
            final String envName = envOf(setting);
            final String fromEnv = env(envName);
            if (fromEnv != null) {
                log.info("{} taken from {}", setting, envName);
                return fromEnv.trim();
            }
            final String value = fromFile.get(setting);
            if (value == null || value.isEmpty()) {
                log.info("{} not set; {}", setting, whenUnset);
                return null;
            }
            return value;
        }

        /** A setting whose override is {@link #envOf its HUB_ variable}. */
        int integer(final @NotNull String setting, final int defaultValue, final int min, final int max) {
            return integer(setting, envOf(setting), defaultValue, min, max);
        }

        int integer(final @NotNull String setting, final @Nullable String envName, final int defaultValue,
                    final int min, final int max) {
            return (int) longInteger(setting, envName, defaultValue, min, max);
        }

        long longInteger(final @NotNull String setting, final long defaultValue, final long min, final long max) {
            return longInteger(setting, envOf(setting), defaultValue, min, max);
        }

        private long longInteger(final @NotNull String setting, final @Nullable String envName,
                                 final long defaultValue, final long min, final long max) {
            final String text = text(setting, envName, Long.toString(defaultValue));
            try {
                final long value = Long.parseLong(text);
                if (value < min || value > max) {
                    problems.add(setting + " must be between " + min + " and " + max + ", was " + value);
                }
                return value;
            } catch (final NumberFormatException e) {
                problems.add(setting + " must be a whole number, was '" + text + "'");
                return defaultValue;
            }
        }
    }
}
