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
import io.pulsehub.extension.auth.AuthMetrics;
import io.pulsehub.extension.auth.DeviceLookup;
import io.pulsehub.extension.auth.HubSecurity;
import io.pulsehub.extension.config.ConfigLoader;
import io.pulsehub.extension.config.ExtensionConfig;
import io.pulsehub.extension.config.InvalidConfigException;
import io.pulsehub.extension.ingest.IngestMetrics;
import io.pulsehub.extension.ingest.TelemetryIngest;
import io.pulsehub.extension.redis.RedisClients;
import io.pulsehub.extension.session.DeviceSessions;
import io.pulsehub.extension.session.RevocationListener;
import io.pulsehub.extension.stats.BrokerStatsReporter;
import io.pulsehub.extension.stream.BacklogMonitor;
import io.pulsehub.extension.stream.RedisStreamSink;
import io.pulsehub.extension.stream.StreamMetrics;
import io.pulsehub.extension.stream.TelemetryStreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Wires the PulseHub extension into HiveMQ: configuration, Redis clients, the stream writer and backlog monitor,
 * authentication, authorization, the telemetry interceptor, presence and revocation, and the node's numbers for the
 * dashboards. Nothing here makes decisions of its own.
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
    /**
     * Backlog sampling and the revocation watchdog block on Redis for up to its timeout; they get a thread of their
     * own instead of one of the few of HiveMQ's managed executor.
     */
    private @Nullable ScheduledExecutorService housekeeping;
    private @Nullable BacklogMonitor backlog;
    private @Nullable HubSecurity security;
    private @Nullable TelemetryIngest ingest;
    private @Nullable RevocationListener revocations;
    private @Nullable BrokerStatsReporter brokerStats;

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
        streamRedis = RedisClients.writer(config.redisUrl(), config.redisTimeout(), "pulsehub-extension-writer");
        final TelemetryStreamWriter streamWriter = new TelemetryStreamWriter(new RedisStreamSink(streamRedis, layout),
                new StreamMetrics(Services.metricRegistry()), config.writerBatchSize(), config.writerQueueCapacity());
        writer = streamWriter;
        stopGrace = config.redisTimeout().multipliedBy(2);
        streamWriter.start();
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "pulsehub-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        housekeeping = scheduler;
        final BacklogMonitor backlogMonitor = new BacklogMonitor(registryRedis, layout,
                config.limits().backlogHighWaterMark());
        backlog = backlogMonitor;
        backlogMonitor.start(scheduler, config.limits().backlogSampleInterval());

        final DeviceLookup registry = DeviceLookup.of(new DeviceRegistry(registryRedis));
        final AuthMetrics authMetrics = new AuthMetrics(Services.metricRegistry());
        security = HubSecurity.install(Services.securityRegistry(), config.secrets(), config.jwt(),
                config.loginThrottle(), registry, Services.extensionExecutorService(), config.ackTimeout(),
                authMetrics);
        final IngestMetrics ingestMetrics = new IngestMetrics(Services.metricRegistry(), streamWriter, backlogMonitor);
        ingest = TelemetryIngest.install(Services.initializerRegistry(), streamWriter, config.ackTimeout(),
                ingestMetrics, config.limits(), backlogMonitor, Services.clientService(), scheduler);
        revocations = DeviceSessions.install(new DeviceSessions.Broker(Services.eventRegistry(),
                        Services.publishService(), Services.clientService(), Services.subscriptionStore(),
                        Services.retainedMessageStore(), Services.metricRegistry()), registry, config.redisUrl(),
                config.redisTimeout(), Services.extensionExecutorService(), scheduler);
        brokerStats = BrokerStatsReporter.start(config.brokerStats(), registryRedis, Services.metricRegistry(),
                authMetrics, ingestMetrics);
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
        final Duration grace = stopGrace != null ? stopGrace : Duration.ZERO;
        if (brokerStats != null) {
            brokerStats.stop(grace);
            brokerStats = null;
        }
        if (revocations != null) {
            revocations.stop(grace);
            revocations = null;
        }
        if (security != null) {
            security.stop();
            security = null;
        }
        if (ingest != null) {
            ingest.stop();
            ingest = null;
        }
        if (backlog != null) {
            backlog.stop();
            backlog = null;
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
            housekeeping = null;
        }
        final TelemetryStreamWriter currentWriter = writer;
        writer = null;
        if (currentWriter != null) {
            currentWriter.stop(grace);
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
