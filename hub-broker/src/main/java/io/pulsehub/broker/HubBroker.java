package io.pulsehub.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PulseHub MQTT broker: HiveMQ CE embedded, configured from the environment, with the extensions of
 * {@code HUB_EXTENSIONS_DIR} loaded exactly as a HiveMQ install loads its {@code extensions} folder (from a fresh
 * copy, see {@link ExtensionsFolder}). Exits 1 with one line naming the cause when it cannot serve: a port in use,
 * no extension, an extension that did not start.
 */
public final class HubBroker {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration LISTENER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Logger log = LoggerFactory.getLogger(HubBroker.class);
    private final BrokerSettings settings;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile EmbeddedHiveMQ hivemq;
    private volatile MetricsEndpoint metrics;

    private HubBroker(final BrokerSettings settings) {
        this.settings = settings;
    }

    public static void main(final String[] args) {
        useBrokerLogging();
        final Logger log = LoggerFactory.getLogger(HubBroker.class);
        try {
            final BrokerSettings settings = BrokerSettings.fromEnvironment(System.getenv(), Path.of(""));
            new HubBroker(settings).run();
        } catch (final BrokerStartupException e) {
            log.error("{}", e.getMessage());
            log.debug("Broker startup failed", e);
            System.exit(1);
        }
    }

    // Must run before the first logger exists: the embedded jar ships its own logback.xml, which would otherwise
    // configure logging for the startup phase (and logback would warn about two logback.xml on the classpath).
    private static void useBrokerLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", BrokerConfigWriter.LOGBACK_RESOURCE);
        }
    }

    private void run() {
        settings.defaultsUsed().forEach(setting -> log.info("Using default {}", setting));
        if (settings.tls().isEmpty()) {
            log.info("TLS listeners off: {} is not set", TlsSettings.KEYSTORE_ENV);
        }
        settings.tls().ifPresent(TlsKeystore::requireUsable);
        ListenerPorts.requireFree(settings);
        if (settings.bare()) {
            runBare();
            return;
        }
        final ExtensionsFolder extensions =
                ExtensionsFolder.copy(settings.extensionsDir(), settings.dataDir().resolve("extensions-loaded"));
        final List<String> expected = extensions.enabledExtensions();
        log.info("Loading extensions {} from {}", expected, extensions.source());
        BrokerConfigWriter.write(settings);

        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(settings.configDir())
                .withDataFolder(settings.dataDir())
                .withExtensionsFolder(extensions.loaded())
                .build();
        // The embedded builder lets every client in while no authenticator is registered. A broker whose
        // authentication extension is not (or no longer) running must refuse everyone instead.
        InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(true);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "pulsehub-broker-shutdown"));

        start();
        extensions.requireStarted(expected);
        listening();
    }

    // The baseline of ./hub bench: plain HiveMQ CE with the same listeners and JVM, nothing of PulseHub loaded.
    private void runBare() {
        log.warn("**************************************************************************************");
        log.warn("{} is set: NO extension, NO authentication, NO authorization, NOTHING persisted.",
                BrokerSettings.BARE_ENV);
        log.warn("Every client may connect and publish anywhere. For loopback benchmarks only, never in production.");
        log.warn("**************************************************************************************");
        final Path noExtensions = settings.dataDir().resolve("extensions-bare");
        try {
            Files.createDirectories(noExtensions);
        } catch (final IOException e) {
            throw new BrokerStartupException("cannot create " + noExtensions + ": " + e.getMessage(), e);
        }
        BrokerConfigWriter.write(settings);
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(settings.configDir())
                .withDataFolder(settings.dataDir())
                .withExtensionsFolder(noExtensions)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "pulsehub-broker-shutdown"));
        start();
        listening();
    }

    private void listening() {
        ListenerPorts.requireAccepting(settings, LISTENER_TIMEOUT);
        metrics = MetricsEndpoint.start(settings.bind(), settings.metricsPort(), hivemq.getMetricRegistry());
        log.info("Serving metrics at {}", settings.metricsUrl());
        log.info("PulseHub broker listening on {}", String.join(", ", settings.listenerUrls()));
        awaitStop();
    }

    private void start() {
        try {
            hivemq.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            throw new BrokerStartupException("HiveMQ failed to start: " + e.getCause(), e.getCause());
        } catch (final TimeoutException e) {
            throw new BrokerStartupException("HiveMQ did not start within " + START_TIMEOUT.toSeconds() + " s", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartupException("interrupted while HiveMQ was starting", e);
        }
    }

    // Keeps main alive until the shutdown hook has stopped HiveMQ, so the exit is never earlier than the clean stop.
    private void awaitStop() {
        try {
            stopped.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        final EmbeddedHiveMQ running = hivemq;
        if (running == null) {
            return;
        }
        log.info("Stopping PulseHub broker");
        final MetricsEndpoint endpoint = metrics;
        if (endpoint != null) {
            endpoint.close();
        }
        try {
            // close() waits without a limit; a broker stuck in shutdown must not keep the process from exiting.
            running.stop().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            log.info("PulseHub broker stopped");
        } catch (final ExecutionException e) {
            log.warn("HiveMQ did not stop cleanly: {}", String.valueOf(e.getCause()));
            log.debug("HiveMQ stop failure", e.getCause());
        } catch (final TimeoutException e) {
            log.warn("HiveMQ did not stop within {} s; exiting anyway", STOP_TIMEOUT.toSeconds());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }
}
