package io.pulsehub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback interface, for servers started by tests. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port nothing listens on right now. Another process may still take it before the caller binds it, so
     * servers started on it fail loudly rather than silently sharing a port.
     */
    public static int find() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
