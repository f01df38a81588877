package io.pulsehub.contract;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Plain TCP sockets with Nagle's algorithm off, for the hub's own MQTT clients (through {@link MqttSockets}) and the
 * bridge's InfluxDB client (Eclipse Paho and OkHttp both leave it on; see InfluxClientFactory). With it on, a client
 * that writes a small PUBLISH while an earlier one is not yet acknowledged at the TCP level holds the new one back
 * until the peer's ACK; a broker that has no PUBACK to send yet (the hub waits for Redis first) sends that ACK only
 * after its delayed-ACK timer, 40 to 200 ms on Linux. MQTT packets are small and latency matters more than the few
 * bytes of headers saved, so every packet goes out when it is written.
 */
public class NoDelaySockets extends SocketFactory {

    /** The socket before Nagle's algorithm is switched off; every variant of {@code createSocket} starts here. */
    Socket unconnected() {
        return new Socket();
    }

    /** Paho and OkHttp ask for an unconnected socket and connect it themselves. */
    @Override
    public final Socket createSocket() throws IOException {
        final Socket socket = unconnected();
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public final Socket createSocket(final String host, final int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public final Socket createSocket(final String host, final int port, final InetAddress localHost,
                                     final int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public final Socket createSocket(final InetAddress host, final int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public final Socket createSocket(final InetAddress address, final int port, final InetAddress localAddress,
                                     final int localPort) throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connected(final InetSocketAddress local, final InetSocketAddress remote) throws IOException {
        final Socket socket = createSocket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (final IOException e) {
            socket.close();
            throw e;
        }
    }
}
