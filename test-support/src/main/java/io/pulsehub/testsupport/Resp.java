package io.pulsehub.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the Redis protocol (RESP2) to tell whether a server is up, without depending on a Redis client
 * library whose version the modules under test choose.
 */
final class Resp {

    private static final int TIMEOUT_MILLIS = 2_000;

    private Resp() {
    }

    /** Whether the server on {@code port} answers PING with PONG (not with LOADING while it replays its AOF). */
    static boolean ping(final int port) {
        try {
            return "PONG".equals(call(port, "PING"));
        } catch (final IOException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * Sends one command and returns a simple, integer or bulk string reply ({@code null} for a nil bulk string).
     * An error reply throws {@link IllegalStateException}; arrays are not supported.
     */
    static String call(final int port, final String... command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            final OutputStream out = socket.getOutputStream();
            out.write(encode(command));
            out.flush();
            return readReply(new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static byte[] encode(final String... command) {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        final StringBuilder header = new StringBuilder().append('*').append(command.length).append("\r\n");
        buffer.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
        for (final String argument : command) {
            final byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            buffer.writeBytes(bytes);
            buffer.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        return buffer.toByteArray();
    }

    private static String readReply(final InputStream in) throws IOException {
        final String line = readLine(in);
        if (line.isEmpty()) {
            throw new IllegalStateException("empty redis reply line");
        }
        final String rest = line.substring(1);
        switch (line.charAt(0)) {
            case '+':
            case ':':
                return rest;
            case '-':
                throw new IllegalStateException("redis error reply: " + rest);
            case '$':
                final int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                final byte[] bytes = in.readNBytes(length + 2);
                if (bytes.length != length + 2) {
                    throw new EOFException("connection closed inside a bulk string");
                }
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            default:
                throw new IllegalStateException("unsupported redis reply: " + line);
        }
    }

    private static String readLine(final InputStream in) throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            final int next = in.read();
            if (next < 0) {
                throw new EOFException("connection closed before a complete reply");
            }
            if (previous == '\r' && next == '\n') {
                final byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
    }
}
