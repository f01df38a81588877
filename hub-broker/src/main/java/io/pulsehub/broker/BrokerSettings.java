package io.pulsehub.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the broker listens and keeps its files, read once from the environment at startup.
 *
 * @param bind          address both listeners bind to ({@code HUB_BIND})
 * @param mqttPort      MQTT over TCP ({@code HUB_MQTT_PORT})
 * @param wsPort        MQTT over WebSocket, path {@link #WS_PATH} ({@code HUB_MQTT_WS_PORT})
 * @param metricsPort   Prometheus metrics over HTTP at {@link MetricsEndpoint#PATH} ({@code HUB_BROKER_METRICS_PORT})
 * @param dataDir       HiveMQ's persistence; the generated configuration goes to its {@code conf} folder
 * @param extensionsDir folder of HiveMQ extension folders, read the way a HiveMQ install reads its own
 * @param defaultsUsed  one line per setting that was not given, so the log says what the broker assumed
 * @param bare          benchmark baseline only: no extension, every client allowed ({@code HUB_BROKER_BARE})
 * @param tls           the TLS and secure WebSocket listeners, present when {@code HUB_TLS_KEYSTORE} is set
 * @param maxQueuedMessages messages HiveMQ keeps per client for delivery before it discards new ones
 *                      ({@code HUB_BROKER_MAX_QUEUED_MESSAGES}): what an app away for a while finds on return
 * @param receiveMaximum QoS 1 and 2 publishes the broker takes unacknowledged from one client, told to every MQTT 5
 *                      client in its CONNACK ({@code HUB_BROKER_RECEIVE_MAXIMUM})
 * @param persistence   where HiveMQ keeps sessions, queued messages and retained messages
 *                      ({@code HUB_BROKER_PERSISTENCE}, see {@link Persistence})
 */
record BrokerSettings(String bind, int mqttPort, int wsPort, int metricsPort, Path dataDir, Path extensionsDir,
                      List<String> defaultsUsed, boolean bare, Optional<TlsSettings> tls, int maxQueuedMessages,
                      int receiveMaximum, Persistence persistence) {

    /**
     * HiveMQ's persistence mode. Readings never depend on it: they are in Redis before they are acknowledged. It
     * decides what survives a restart of the broker: sessions of clients that asked to be remembered, the QoS 1
     * messages queued for them (commands for an offline device, telemetry for an app away), and the retained
     * aggregates and presence. {@code in-memory} loses those on a restart and spares the broker its disk
     * (docs/benchmarks.md: PUBACK, queryable and aggregate latencies at half load about halved in an A/B).
     */
    enum Persistence {
        FILE("file"),
        IN_MEMORY("in-memory");

        private final String mode;

        Persistence(final String mode) {
            this.mode = mode;
        }

        /** As HiveMQ's configuration and {@code HUB_BROKER_PERSISTENCE} spell it. */
        String mode() {
            return mode;
        }

        static Persistence of(final String mode) {
            for (final Persistence persistence : values()) {
                if (persistence.mode.equals(mode)) {
                    return persistence;
                }
            }
            throw new BrokerStartupException(PERSISTENCE_ENV + " must be 'file' or 'in-memory', got '" + mode + "'");
        }
    }

    static final String BIND_ENV = "HUB_BIND";
    static final String MQTT_PORT_ENV = "HUB_MQTT_PORT";
    static final String WS_PORT_ENV = "HUB_MQTT_WS_PORT";
    static final String METRICS_PORT_ENV = "HUB_BROKER_METRICS_PORT";
    static final String DATA_DIR_ENV = "HUB_BROKER_DATA_DIR";
    static final String EXTENSIONS_DIR_ENV = "HUB_EXTENSIONS_DIR";
    static final String BARE_ENV = "HUB_BROKER_BARE";
    static final String MAX_QUEUED_MESSAGES_ENV = "HUB_BROKER_MAX_QUEUED_MESSAGES";
    static final String RECEIVE_MAXIMUM_ENV = "HUB_BROKER_RECEIVE_MAXIMUM";
    static final String PERSISTENCE_ENV = "HUB_BROKER_PERSISTENCE";
    /**
     * The only value that turns the bare mode on. A plain "true" or "1" is refused rather than obeyed, so a stray
     * variable can never start a broker that lets everyone in; ./hub bench sets it for the baseline alone.
     */
    static final String BARE_CONFIRMATION = "benchmark-only-no-auth";
    static final String WS_PATH = "/mqtt";

    private static final String DEFAULT_BIND = "127.0.0.1";
    private static final String HUB_BIND_REQUIRED = BIND_ENV + " must be 127.0.0.1, ::1 or localhost";
    private static final int DEFAULT_MQTT_PORT = 1883;
    private static final int DEFAULT_WS_PORT = 8000;
    private static final int DEFAULT_METRICS_PORT = 9399;
    private static final String DEFAULT_DATA_DIR = ".hub/broker";
    private static final String DEFAULT_EXTENSIONS_DIR = "hivemq-extension/target/extensions";
    /** HiveMQ's own default. */
    private static final int DEFAULT_MAX_QUEUED_MESSAGES = 1000;
    /** Queued messages live in the broker's heap; beyond this one client could take all of it. */
    private static final int MAX_MAX_QUEUED_MESSAGES = 10_000_000;
    /**
     * HiveMQ's default is 10. The bridge publishes a window's aggregates, one per device, this many (less one) at a
     * time, and 10 made that a round trip per 8 of them; a device catching up on stored readings gains the same.
     * Each unacknowledged publish waits in the broker's heap until it is stored, so it stays at EMQX's 32 rather
     * than MQTT's 65535.
     */
    private static final int DEFAULT_RECEIVE_MAXIMUM = 32;
    private static final int MAX_RECEIVE_MAXIMUM = 65_535;
    // An address or host name, nothing that could break out of the generated XML.
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9:][A-Za-z0-9.:-]{0,252}");

    BrokerSettings {
        defaultsUsed = List.copyOf(defaultsUsed);
        if (bare && !isLoopback(bind)) {
            throw new BrokerStartupException(BARE_ENV + " allows every client and is for loopback benchmarks only; "
                    + HUB_BIND_REQUIRED + ", got '" + bind + "'");
        }
        if (mqttPort == wsPort) {
            throw new BrokerStartupException(MQTT_PORT_ENV + " and " + WS_PORT_ENV + " are both " + mqttPort
                    + "; give them different ports");
        }
        if (metricsPort == mqttPort || metricsPort == wsPort) {
            throw new BrokerStartupException(METRICS_PORT_ENV + " " + metricsPort + " is also an MQTT port; give it "
                    + "a port of its own");
        }
        tls.ifPresent(t -> requireDistinctPorts(mqttPort, wsPort, t));
    }

    private static void requireDistinctPorts(final int mqttPort, final int wsPort, final TlsSettings tls) {
        final Map<String, Integer> ports = Map.of(MQTT_PORT_ENV, mqttPort, WS_PORT_ENV, wsPort,
                TlsSettings.TLS_PORT_ENV, tls.tlsPort(), TlsSettings.WSS_PORT_ENV, tls.wssPort());
        if (ports.values().stream().distinct().count() < ports.size()) {
            throw new BrokerStartupException(MQTT_PORT_ENV + ", " + WS_PORT_ENV + ", " + TlsSettings.TLS_PORT_ENV
                    + " and " + TlsSettings.WSS_PORT_ENV + " must all differ, got " + mqttPort + ", " + wsPort + ", "
                    + tls.tlsPort() + ", " + tls.wssPort());
        }
    }

    /**
     * Relative folders resolve against {@code workingDir}, which {@code ./hub} sets to the repository root.
     *
     * @throws BrokerStartupException naming the variable when a value is unusable
     */
    static BrokerSettings fromEnvironment(final Map<String, String> env, final Path workingDir) {
        final List<String> defaults = new ArrayList<>();
        final String bind = value(env, BIND_ENV, DEFAULT_BIND, defaults);
        if (!HOST.matcher(bind).matches()) {
            throw new BrokerStartupException(BIND_ENV + " must be an IP address or host name, got '" + bind + "'");
        }
        final int mqttPort = port(env, MQTT_PORT_ENV, DEFAULT_MQTT_PORT, defaults);
        final int wsPort = port(env, WS_PORT_ENV, DEFAULT_WS_PORT, defaults);
        final int metricsPort = port(env, METRICS_PORT_ENV, DEFAULT_METRICS_PORT, defaults);
        final Path dataDir = workingDir.resolve(value(env, DATA_DIR_ENV, DEFAULT_DATA_DIR, defaults)).normalize();
        final Path extensionsDir =
                workingDir.resolve(value(env, EXTENSIONS_DIR_ENV, DEFAULT_EXTENSIONS_DIR, defaults)).normalize();
        final Optional<TlsSettings> tls = TlsSettings.fromEnvironment(env, workingDir, defaults);
        final int maxQueued = positive(env, MAX_QUEUED_MESSAGES_ENV, DEFAULT_MAX_QUEUED_MESSAGES,
                MAX_MAX_QUEUED_MESSAGES, defaults);
        final int receiveMaximum = positive(env, RECEIVE_MAXIMUM_ENV, DEFAULT_RECEIVE_MAXIMUM, MAX_RECEIVE_MAXIMUM,
                defaults);
        final Persistence persistence =
                Persistence.of(value(env, PERSISTENCE_ENV, Persistence.FILE.mode(), defaults));
        return new BrokerSettings(bind, mqttPort, wsPort, metricsPort, dataDir, extensionsDir, defaults, bare(env),
                tls, maxQueued, receiveMaximum, persistence);
    }

    // Deliberately not listed among the defaults: the normal broker has no such setting.
    private static boolean bare(final Map<String, String> env) {
        final String given = env.get(BARE_ENV);
        if (given == null || given.isBlank()) {
            return false;
        }
        if (!BARE_CONFIRMATION.equals(given.trim())) {
            throw new BrokerStartupException(BARE_ENV + " runs the broker without authentication for benchmarks; "
                    + "unset it, or set it to exactly '" + BARE_CONFIRMATION + "' on a loopback-only benchmark");
        }
        return true;
    }

    private static boolean isLoopback(final String bind) {
        return "127.0.0.1".equals(bind) || "::1".equals(bind) || "localhost".equals(bind);
    }

    Path configDir() {
        return dataDir.resolve("conf");
    }

    String mqttUrl() {
        return "mqtt://" + hostForUrl() + ":" + mqttPort;
    }

    String wsUrl() {
        return "ws://" + hostForUrl() + ":" + wsPort + WS_PATH;
    }

    /** Every listener's URL, TLS ones included when on, for the "listening on" line. */
    List<String> listenerUrls() {
        final List<String> urls = new ArrayList<>(List.of(mqttUrl(), wsUrl()));
        tls.ifPresent(t -> {
            urls.add("mqtts://" + hostForUrl() + ":" + t.tlsPort());
            urls.add("wss://" + hostForUrl() + ":" + t.wssPort() + WS_PATH);
        });
        return urls;
    }

    String metricsUrl() {
        return "http://" + hostForUrl() + ":" + metricsPort + MetricsEndpoint.PATH;
    }

    private String hostForUrl() {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private static String value(final Map<String, String> env, final String name, final String fallback,
                                final List<String> defaults) {
        final String given = env.get(name);
        if (given == null || given.isBlank()) {
            defaults.add(name + "=" + fallback);
            return fallback;
        }
        return given.trim();
    }

    private static int positive(final Map<String, String> env, final String name, final int fallback, final int max,
                                final List<String> defaults) {
        return number(env, name, fallback, max, "a whole number", defaults);
    }

    static int port(final Map<String, String> env, final String name, final int fallback,
                    final List<String> defaults) {
        return number(env, name, fallback, 65535, "a port number", defaults);
    }

    /** A whole number from 1 to {@code max}; the refusal names the variable and what it must be. */
    private static int number(final Map<String, String> env, final String name, final int fallback, final int max,
                              final String what, final List<String> defaults) {
        final String text = value(env, name, Integer.toString(fallback), defaults);
        final int number;
        try {
            number = Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new BrokerStartupException(name + " must be " + what + " 1-" + max + ", got '" + text + "'");
        }
        if (number < 1 || number > max) {
            throw new BrokerStartupException(name + " must be " + what + " 1-" + max + ", got " + number);
        }
        return number;
    }
}
