package io.pulsehub.simulator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** Durations as people type them ({@code 30s}, {@code 2m}, {@code 1h30m}, {@code 250ms}) or as ISO-8601. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");

    @Override
    public Duration convert(final String value) {
        return parse(value);
    }

    static Duration parse(final String text) {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                return positive(Duration.parse(value.toUpperCase(Locale.ROOT)), text);
            } catch (final DateTimeParseException e) {
                throw invalid(text);
            }
        }
        if (!WHOLE.matcher(value).matches()) {
            throw invalid(text);
        }
        Duration total = Duration.ZERO;
        final Matcher part = PART.matcher(value);
        while (part.find()) {
            final double amount = Double.parseDouble(part.group(1));
            final long unitNanos = switch (part.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            total = total.plusNanos(Math.round(amount * unitNanos));
        }
        return positive(total, text);
    }

    private static Duration positive(final Duration duration, final String text) {
        if (duration.isNegative() || duration.isZero()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a positive duration");
        }
        return duration;
    }

    private static CommandLine.TypeConversionException invalid(final String text) {
        return new CommandLine.TypeConversionException(
                "'" + text + "' is not a duration; use e.g. 250ms, 30s, 2m, 1h30m, 1d or ISO-8601 (PT30S)");
    }
}
