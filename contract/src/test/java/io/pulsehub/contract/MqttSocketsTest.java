package io.pulsehub.contract;

import org.junit.jupiter.api.Test;

import javax.net.SocketFactory;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttSocketsTest {

    /** Three PUBACKs (type, remaining length, packet id) as they arrive together from a broker. */
    private static final byte[] THREE_PUBACKS = {0x40, 2, 0, 1, 0x40, 2, 0, 2, 0x40, 2, 0, 3};

    @Test
    void plainServersGetTheseSocketsAndTlsServersKeepPahosDefault() {
        assertThat(MqttSockets.forServer("tcp://127.0.0.1:1883")).isInstanceOf(MqttSockets.class);
        assertThat(MqttSockets.forServer("WS://127.0.0.1:8000/mqtt")).isInstanceOf(MqttSockets.class);
        assertThat(MqttSockets.forServer("ssl://127.0.0.1:8883")).isNull();
        assertThat(MqttSockets.forServer("wss://127.0.0.1:8443/mqtt")).isNull();
    }

    @Test
    void packetsReadByteByByteCostOneReadOfTheUnderlyingStream() throws IOException {
        final CountingInput socket = new CountingInput(new ByteArrayInputStream(THREE_PUBACKS));
        try (InputStream in = new MqttSockets.ReadAheadInput(socket)) {
            final byte[] read = new byte[THREE_PUBACKS.length];
            for (int packet = 0; packet < 3; packet++) {
                // Paho's order: available, first byte, length byte, then the rest in one read.
                in.available();
                read[packet * 4] = (byte) in.read();
                read[packet * 4 + 1] = (byte) in.read();
                assertThat(in.readNBytes(read, packet * 4 + 2, 2)).isEqualTo(2);
            }
            assertThat(read).isEqualTo(THREE_PUBACKS);
            assertThat(socket.reads).isEqualTo(1);
            assertThat(socket.availableCalls).as("asked only while nothing was buffered").isEqualTo(1);

            assertThat(in.available()).isZero();
            assertThat(socket.availableCalls).isEqualTo(2);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aClosedStreamSaysSoInsteadOfReportingWhatWasBuffered() throws IOException {
        final InputStream in = new MqttSockets.ReadAheadInput(new ByteArrayInputStream(THREE_PUBACKS));
        assertThat(in.read()).isEqualTo(0x40);
        in.close();
        assertThatThrownBy(in::available).isInstanceOf(IOException.class);
    }

    @Test
    void aSocketHandsOutOneBufferedStreamWithNagleOff() throws Exception {
        final SocketFactory factory = MqttSockets.forServer("tcp://127.0.0.1:1883");
        try (Socket unconnected = factory.createSocket()) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket broker = server.accept()) {
            assertThat(client.getTcpNoDelay()).isTrue();
            final OutputStream toClient = broker.getOutputStream();
            toClient.write(THREE_PUBACKS);
            toClient.flush();

            final InputStream first = client.getInputStream();
            assertThat(first.read()).isEqualTo(0x40);
            // A second caller must see the bytes the first read ahead, not an empty buffer of its own.
            final InputStream second = client.getInputStream();
            assertThat(second).isSameAs(first);
            assertThat(second.readNBytes(THREE_PUBACKS.length - 1))
                    .isEqualTo(java.util.Arrays.copyOfRange(THREE_PUBACKS, 1, THREE_PUBACKS.length));
        }
    }

    private static final class CountingInput extends FilterInputStream {
        int reads;
        int availableCalls;

        CountingInput(final InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            reads++;
            return super.read();
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException {
            reads++;
            return super.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            availableCalls++;
            return super.available();
        }
    }
}
