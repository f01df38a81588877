package io.pulsehub.extension;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;

/**
 * Client ids and topics are chosen by clients. Before one goes into a log line it loses its control characters
 * (no forged log lines) and its length beyond {@link #MAX_CHARS}.
 */
public final class LogSafe {

    static final int MAX_CHARS = 128;

    private LogSafe() {
    }

    public static @NotNull String text(final @Nullable String value) {
        if (value == null) {
            return "<none>";
        }
        final StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 8);
        value.codePoints().limit(MAX_CHARS).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > MAX_CHARS ? out + "…" : out.toString();
    }
}
