package io.pulsehub.bridge.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them in settings: {@code 500ms}, {@code 10s}, {@code 1m}, {@code 2h}. */
public final class DurationSpec {

    private static final Pattern SPEC = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private DurationSpec() {
    }

    /**
     * @param what names the setting in the error message
     * @throws IllegalArgumentException when {@code spec} is not a number followed by ms, s, m or h
     */
    public static long parseMillis(final String spec, final String what) {
        final Matcher matcher = SPEC.matcher(spec == null ? "" : spec.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(what + " '" + spec + "' is not a duration; use a whole number "
                    + "followed by ms, s, m or h, e.g. 10s");
        }
        final long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
    }
}
