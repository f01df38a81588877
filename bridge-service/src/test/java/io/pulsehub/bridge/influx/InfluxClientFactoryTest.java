package io.pulsehub.bridge.influx;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

class InfluxClientFactoryTest {

    @Test
    void connectionsToInfluxDbHaveNagleOff() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = InfluxClientFactory.http().build().socketFactory().createSocket()) {
            socket.connect(server.getLocalSocketAddress());
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }
}
