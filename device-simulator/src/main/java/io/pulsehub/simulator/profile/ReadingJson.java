package io.pulsehub.simulator.profile;

import java.nio.charset.StandardCharsets;

/**
 * Writes one reading object by hand: at load-generator rates an object mapper per reading would cost more than the
 * publish itself, and metric names and numbers need no escaping.
 */
final class ReadingJson {

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1000, 10_000};

    private final StringBuilder json = new StringBuilder(192);

    ReadingJson(final long epochMillis) {
        json.append("{\"ts\":").append(epochMillis);
    }

    ReadingJson integer(final String name, final long value) {
        name(name).append(value);
        return this;
    }

    /** A decimal with exactly {@code decimals} digits after the point, as a sensor with that resolution sends it. */
    ReadingJson decimal(final String name, final double value, final int decimals) {
        appendFixed(name(name), value, decimals);
        return this;
    }

    byte[] toBytes() {
        return json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private StringBuilder name(final String name) {
        return json.append(",\"").append(name).append("\":");
    }

    static void appendFixed(final StringBuilder out, final double value, final int decimals) {
        final long scale = POWERS_OF_TEN[decimals];
        long scaled = Math.round(value * scale);
        if (scaled < 0) {
            out.append('-');
            scaled = -scaled;
        }
        out.append(scaled / scale);
        if (decimals > 0) {
            out.append('.');
            final String fraction = Long.toString(scaled % scale);
            for (int pad = fraction.length(); pad < decimals; pad++) {
                out.append('0');
            }
            out.append(fraction);
        }
    }
}
