package io.pulsehub.contract;

import org.junit.jupiter.api.Test;

import javax.net.SocketFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

class NoDelaySocketsTest {

    @Test
    void plainServersGetSocketsWithNagleOffAndTlsServersKeepPahosDefault() throws Exception {
        assertThat(NoDelaySockets.forServer("tcp://127.0.0.1:1883")).isInstanceOf(NoDelaySockets.class);
        assertThat(NoDelaySockets.forServer("WS://127.0.0.1:8000/mqtt")).isInstanceOf(NoDelaySockets.class);
        assertThat(NoDelaySockets.forServer("ssl://127.0.0.1:8883")).isNull();
        assertThat(NoDelaySockets.forServer("wss://127.0.0.1:8443/mqtt")).isNull();

        final SocketFactory factory = NoDelaySockets.forServer("tcp://127.0.0.1:1883");
        try (Socket unconnected = factory.createSocket()) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket connected = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertThat(connected.getTcpNoDelay()).isTrue();
        }
    }
}
