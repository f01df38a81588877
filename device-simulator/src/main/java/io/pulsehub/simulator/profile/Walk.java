package io.pulsehub.simulator.profile;

import java.util.SplittableRandom;

/** Random-walk steps that stay plausible: noise, a pull towards a target, and hard physical limits. */
final class Walk {

    private Walk() {
    }

    static double gaussian(final SplittableRandom random) {
        return random.nextGaussian();
    }

    /** One step of {@code value} towards {@code target} by {@code pull} of the gap, plus noise, within limits. */
    static double step(final SplittableRandom random, final double value, final double target, final double pull,
                       final double noise, final double min, final double max) {
        return clamp(value + pull * (target - value) + noise * gaussian(random), min, max);
    }

    static double clamp(final double value, final double min, final double max) {
        return Math.max(min, Math.min(max, value));
    }
}
