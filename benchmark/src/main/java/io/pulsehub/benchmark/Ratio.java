package io.pulsehub.benchmark;

/** Hub figure over baseline figure, rounded for a table; {@code null} when either side is missing or zero. */
final class Ratio {

    private Ratio() {
    }

    static Double of(final Double hub, final Double baseline) {
        if (hub == null || baseline == null || baseline == 0.0) {
            return null;
        }
        return Math.round(hub / baseline * 100.0) / 100.0;
    }
}
