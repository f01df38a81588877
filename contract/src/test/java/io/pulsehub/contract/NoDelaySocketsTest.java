package io.pulsehub.contract;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

class NoDelaySocketsTest {

    @Test
    void socketsHaveNagleOffWhetherTheClientConnectsThemOrTheFactoryDoes() throws Exception {
        final NoDelaySockets factory = new NoDelaySockets();
        try (Socket unconnected = factory.createSocket()) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            assertThat(unconnected.isConnected()).isFalse();
        }
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
             Socket byAddress = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket byName = factory.createSocket("127.0.0.1", server.getLocalPort());
             Socket boundLocally = factory.createSocket("127.0.0.1", server.getLocalPort(),
                     InetAddress.getLoopbackAddress(), 0)) {
            for (final Socket socket : new Socket[]{byAddress, byName, boundLocally}) {
                assertThat(socket.isConnected()).isTrue();
                assertThat(socket.getTcpNoDelay()).isTrue();
            }
            assertThat(boundLocally.getLocalAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        }
    }
}
