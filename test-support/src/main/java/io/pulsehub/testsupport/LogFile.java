package io.pulsehub.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the log files child processes write their stdout and stderr to. */
final class LogFile {

    // Enough for any sensible tail without reading a whole chatty log into memory.
    private static final int MAX_TAIL_BYTES = 256 * 1024;

    private LogFile() {
    }

    static long size(final Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of the file, or a note when there is nothing to show. */
    static String tail(final Path file, final int lines) {
        final String text = read(file, Math.max(0, size(file) - MAX_TAIL_BYTES));
        if (text.isBlank()) {
            return "(" + file + " is empty)";
        }
        final List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Whether {@code text} occurs in the file after byte {@code from}. */
    static boolean contains(final Path file, final long from, final String text) {
        return read(file, from).contains(text);
    }

    private static String read(final Path file, final long from) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            final long start = Math.min(from, in.length());
            final byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            // Decoding with replacement because a process may be killed in the middle of a multi-byte character.
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
