package io.pulsehub.contract;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * Plain TCP sockets with Nagle's algorithm off, for the hub's own MQTT clients and the bridge's InfluxDB client
 * (Eclipse Paho and OkHttp both leave it on; see InfluxClientFactory). With it on, a client that writes a small
 * PUBLISH while an earlier one is not yet acknowledged at the TCP level holds the new one back until the peer's ACK; a
 * broker that has no PUBACK to send yet (the hub waits for Redis first) sends that ACK only after its delayed-ACK
 * timer, 40 to 200 ms on Linux. MQTT packets are small and latency matters more than the few bytes of headers saved,
 * so every packet goes out when it is written.
 *
 * <p>Only for {@code tcp://} and {@code ws://} servers: Paho needs an {@code SSLSocketFactory} for {@code ssl://}
 * and {@code wss://}, which keep its default.
 */
public final class NoDelaySockets extends SocketFactory {

    /**
     * For Paho's {@code setSocketFactory}: this factory for a plain server URI, {@code null} (Paho's default) for a
     * TLS one.
     */
    public static SocketFactory forServer(final String serverUri) {
        final String uri = serverUri.toLowerCase(Locale.ROOT);
        return uri.startsWith("tcp://") || uri.startsWith("ws://") ? new NoDelaySockets() : null;
    }

    private static Socket noDelay(final Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Paho asks for an unconnected socket and connects it itself. */
    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new Socket());
    }

    @Override
    public Socket createSocket(final String host, final int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(final String host, final int port, final InetAddress localHost, final int localPort)
            throws IOException {
        return noDelay(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(final InetAddress host, final int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(final InetAddress address, final int port, final InetAddress localAddress,
                               final int localPort) throws IOException {
        return noDelay(new Socket(address, port, localAddress, localPort));
    }
}
