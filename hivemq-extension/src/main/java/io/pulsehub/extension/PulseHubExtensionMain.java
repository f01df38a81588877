package io.pulsehub.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.pulsehub.contract.DeviceRegistry;
import io.pulsehub.contract.StreamLayout;
import io.pulsehub.extension.auth.DeviceLookup;
import io.pulsehub.extension.auth.HubSecurity;
import io.pulsehub.extension.config.ConfigLoader;
import io.pulsehub.extension.config.ExtensionConfig;
import io.pulsehub.extension.config.InvalidConfigException;
import io.pulsehub.extension.ingest.IngestMetrics;
import io.pulsehub.extension.ingest.TelemetryIngest;
import io.pulsehub.extension.redis.RedisClients;
import io.pulsehub.extension.stream.RedisStreamSink;
import io.pulsehub.extension.stream.TelemetryStreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Wires the PulseHub extension into HiveMQ: configuration, Redis clients, the stream writer, authentication,
 * authorization and the telemetry interceptor. Nothing here makes decisions of its own.
 */
public final class PulseHubExtensionMain implements ExtensionMain {

    private static final Logger log = LoggerFactory.getLogger(PulseHubExtensionMain.class);
    /** Registry lookups run on HiveMQ's extension executor; more connections than its threads would idle. */
    private static final int REGISTRY_CONNECTIONS = 16;

    private final @NotNull Function<String, String> environment;
    private final @Nullable Path configFile;
    private @Nullable RedisClient registryRedis;
    private @Nullable RedisClient streamRedis;
    private @Nullable TelemetryStreamWriter writer;
    private @Nullable Duration stopGrace;

    /** Used by HiveMQ: configuration from {@code conf/config.xml} in the extension folder and the environment. */
    public PulseHubExtensionMain() {
        this(System::getenv, null);
    }

    /**
     * For embedding (tests, a launcher that knows better): an explicit environment and configuration file.
     *
     * @param configFile the config.xml to read, or {@code null} for the one in the extension folder
     */
    public PulseHubExtensionMain(final @NotNull Function<String, String> environment,
                                 final @Nullable Path configFile) {
        this.environment = environment;
        this.configFile = configFile;
    }

    @Override
    public void extensionStart(final @NotNull ExtensionStartInput input, final @NotNull ExtensionStartOutput output) {
        final Path file = configFile != null ? configFile
                : input.getExtensionInformation().getExtensionHomeFolder().toPath().resolve(ConfigLoader.CONFIG_FILE);
        final ExtensionConfig config;
        try {
            config = new ConfigLoader(environment).load(file);
        } catch (final InvalidConfigException e) {
            log.error("PulseHub extension not started: {}", e.getMessage());
            output.preventExtensionStartup(e.getMessage());
            return;
        }
        try {
            start(config);
            log.info("PulseHub extension started: {}", config);
        } catch (final RuntimeException e) {
            log.error("PulseHub extension not started: {}", e.toString());
            log.debug("start failure", e);
            release();
            output.preventExtensionStartup("PulseHub extension failed to start: " + e.getMessage());
        }
    }

    private void start(final @NotNull ExtensionConfig config) {
        final StreamLayout layout = new StreamLayout(config.streamPartitions());
        registryRedis = RedisClients.create(config.redisUrl(), config.redisTimeout(), "pulsehub-extension-registry",
                REGISTRY_CONNECTIONS);
        streamRedis = RedisClients.create(config.redisUrl(), config.redisTimeout(), "pulsehub-extension-writer", 1);
        final TelemetryStreamWriter streamWriter = new TelemetryStreamWriter(new RedisStreamSink(streamRedis, layout),
                config.writerBatchSize(), config.writerQueueCapacity());
        writer = streamWriter;
        stopGrace = config.redisTimeout().multipliedBy(2);
        streamWriter.start();

        HubSecurity.install(Services.securityRegistry(), config.secrets(),
                DeviceLookup.of(new DeviceRegistry(registryRedis)), Services.extensionExecutorService(),
                config.ackTimeout());
        TelemetryIngest.install(Services.initializerRegistry(), streamWriter, config.ackTimeout(),
                new IngestMetrics(Services.metricRegistry(), streamWriter));
        warnIfRedisUnreachable(config);
    }

    /** Redis may come up after the broker; until then logins fail closed. Say so once, without delaying start. */
    private void warnIfRedisUnreachable(final @NotNull ExtensionConfig config) {
        final RedisClient redis = registryRedis;
        Services.extensionExecutorService().execute(() -> {
            try {
                redis.ping();
            } catch (final RuntimeException e) {
                log.warn("Redis at {} is not reachable ({}); devices cannot log in or store readings until it is",
                        config.redisUrlForLog(), e.getMessage());
            }
        });
    }

    @Override
    public void extensionStop(final @NotNull ExtensionStopInput input, final @NotNull ExtensionStopOutput output) {
        log.info("stopping PulseHub extension");
        release();
    }

    /** Bounded: the writer gets its grace period, then whatever is still queued is refused and Redis closed. */
    private void release() {
        final TelemetryStreamWriter currentWriter = writer;
        writer = null;
        if (currentWriter != null) {
            currentWriter.stop(stopGrace != null ? stopGrace : Duration.ZERO);
        }
        closeQuietly(streamRedis);
        streamRedis = null;
        closeQuietly(registryRedis);
        registryRedis = null;
    }

    private static void closeQuietly(final @Nullable RedisClient redis) {
        if (redis == null) {
            return;
        }
        try {
            redis.close();
        } catch (final RuntimeException e) {
            log.debug("closing a Redis client failed: {}", e.toString());
        }
    }
}
