package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.contract.ServiceIdentity;
import io.pulsehub.contract.StreamLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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
    private static final Set<String> SETTINGS = new LinkedHashSet<>(List.of(REDIS_URL, STREAM_PARTITIONS,
            WRITER_BATCH_SIZE, WRITER_QUEUE_CAPACITY, REDIS_TIMEOUT_MS, ACK_TIMEOUT_MS));

    /** The writer may need a pool wait, a connect and a read before it answers; HiveMQ must wait longer. */
    static final int ACK_TIMEOUT_PER_REDIS_TIMEOUT = 3;

    private static final Pattern DATABASE_PATH = Pattern.compile("/([0-9]{1,4})?");
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    private final @NotNull Function<String, String> environment;

    /** @param environment variable name → value or {@code null}; {@code System::getenv} in production */
    public ConfigLoader(final @NotNull Function<String, String> environment) {
        this.environment = environment;
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
        final Secrets secrets = secrets(problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("invalid configuration: " + String.join("; ", problems));
        }
        return new ExtensionConfig(redisUrl, partitions, batchSize, queueCapacity,
                Duration.ofMillis(redisTimeoutMs), Duration.ofMillis(ackTimeoutMs), secrets);
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

        int integer(final @NotNull String setting, final @Nullable String envName, final int defaultValue,
                    final int min, final int max) {
            final String text = text(setting, envName, Integer.toString(defaultValue));
            try {
                final int value = Integer.parseInt(text);
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
