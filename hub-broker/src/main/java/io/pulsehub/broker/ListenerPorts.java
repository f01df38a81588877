package io.pulsehub.broker;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/**
 * HiveMQ's start succeeds even when it could not bind a listener (it only logs the failure), so the broker checks
 * its ports itself: free before the start, accepting connections after it.
 */
final class ListenerPorts {

    private static final int CONNECT_TIMEOUT_MILLIS = 500;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    private ListenerPorts() {
    }

    static void requireFree(final BrokerSettings settings) {
        requireFree(settings.bind(), settings.mqttPort(), BrokerSettings.MQTT_PORT_ENV);
        requireFree(settings.bind(), settings.wsPort(), BrokerSettings.WS_PORT_ENV);
        requireFree(settings.bind(), settings.metricsPort(), BrokerSettings.METRICS_PORT_ENV);
        settings.tls().ifPresent(tls -> {
            requireFree(settings.bind(), tls.tlsPort(), TlsSettings.TLS_PORT_ENV);
            requireFree(settings.bind(), tls.wssPort(), TlsSettings.WSS_PORT_ENV);
        });
    }

    /**
     * Nothing else may be listening when HiveMQ starts: a listener it fails to bind would leave a broker that looks
     * up while another process answers on its port.
     */
    static void requireFree(final String bind, final int port, final String variable) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(bind, port));
        } catch (final BindException e) {
            if (isAddressUnavailable(e)) {
                throw new BrokerStartupException(BrokerSettings.BIND_ENV + " " + bind
                        + " is not an address of this machine; set " + BrokerSettings.BIND_ENV, e);
            }
            throw new BrokerStartupException(inUse(port, variable), e);
        } catch (final IOException e) {
            throw new BrokerStartupException("cannot check port " + port + " (" + variable + ") on " + bind + ": "
                    + e.getMessage(), e);
        }
    }

    static String inUse(final int port, final String variable) {
        return "port " + port + " (" + variable + ") is in use; set " + variable + " to a free port";
    }

    private static boolean isAddressUnavailable(final BindException e) {
        final String message = e.getMessage();
        return message != null && message.contains("Cannot assign requested address");
    }

    /**
     * Called once HiveMQ reported its start. The ports were free just before, so a listener that accepts now is
     * HiveMQ's own.
     */
    static void requireAccepting(final BrokerSettings settings, final Duration timeout) {
        requireAccepting(settings.bind(), settings.mqttPort(), BrokerSettings.MQTT_PORT_ENV, timeout);
        requireAccepting(settings.bind(), settings.wsPort(), BrokerSettings.WS_PORT_ENV, timeout);
        settings.tls().ifPresent(tls -> {
            requireAccepting(settings.bind(), tls.tlsPort(), TlsSettings.TLS_PORT_ENV, timeout);
            requireAccepting(settings.bind(), tls.wssPort(), TlsSettings.WSS_PORT_ENV, timeout);
        });
    }

    private static void requireAccepting(final String bind, final int port, final String variable,
                                         final Duration timeout) {
        final Instant deadline = Instant.now().plus(timeout);
        while (!accepts(bind, port)) {
            if (Instant.now().isAfter(deadline)) {
                throw new BrokerStartupException("HiveMQ started but nothing accepts connections on " + bind + ":"
                        + port + " (" + variable + "); another process may have taken the port");
            }
            pause();
        }
    }

    private static boolean accepts(final String bind, final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(bind, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartupException("interrupted while waiting for the listeners");
        }
    }
}
