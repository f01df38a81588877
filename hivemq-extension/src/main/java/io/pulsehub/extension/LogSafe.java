package io.pulsehub.extension;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;

/**
 * Client ids, topics and the reasons built from payloads are chosen by clients. Before one goes into a log line or
 * back to a client as an MQTT reason string, every character that could forge a log line, reorder text on screen
 * or break an MQTT client is escaped as {@code \\uXXXX} (control and format characters, lone surrogates,
 * non-characters), and the text is cut to a bounded length.
 * <p>
 * For reason strings this is not cosmetic: MQTT 5 says UTF-8 strings should not contain control characters, and
 * Paho's receiver thread dies on a PUBACK whose reason string does, leaving the device's connection hung.
 */
public final class LogSafe {

    static final int MAX_CHARS = 128;
    /** Reasons quote parser messages and are longer than ids, but a PUBACK is no place for an essay. */
    static final int MAX_REASON_CHARS = 256;

    private LogSafe() {
    }

    /** An id or topic for a log line. */
    public static @NotNull String text(final @Nullable String value) {
        return escape(value, MAX_CHARS);
    }

    /** A reason for a log line or an MQTT reason string (CONNACK, PUBACK, SUBACK, DISCONNECT). */
    public static @NotNull String reason(final @Nullable String value) {
        return escape(value, MAX_REASON_CHARS);
    }

    /** Whether the text has nothing to escape, e.g. a topic that can be quoted back to a client as it is. */
    public static boolean isPlain(final @NotNull String value) {
        // A loop rather than a code point stream: every publish's topic comes through here.
        for (int i = 0; i < value.length(); ) {
            final int c = value.codePointAt(i);
            if (needsEscape(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static @NotNull String escape(final @Nullable String value, final int maxChars) {
        if (value == null) {
            return "<none>";
        }
        final StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars) + 8);
        value.codePoints().limit(maxChars).forEach(c -> {
            if (needsEscape(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > maxChars ? out + "…" : out.toString();
    }

    private static boolean needsEscape(final int c) {
        final int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.UNASSIGNED && isNonCharacter(c);
    }

    /** U+FDD0..U+FDEF and the last two code points of every plane. */
    private static boolean isNonCharacter(final int c) {
        return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
    }
}
