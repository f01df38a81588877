package io.pulsehub.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Hub over Mosquitto and hub over bare HiveMQ, per headline figure. */
final class Ratios {

    static final String OVER_MOSQUITTO = "hub/mosquitto";
    static final String OVER_HIVEMQ = "hub/hivemq";

    private Ratios() {
    }

    static Map<String, Map<String, Double>> of(final List<TargetResult> targets) {
        final Map<String, Map<String, Double>> ratios = new LinkedHashMap<>();
        final TargetResult hub = find(targets, "hub");
        if (hub == null) {
            return ratios;
        }
        final Map<String, Function<TargetResult, Double>> figures = new LinkedHashMap<>();
        figures.put("ackedPerSecond", result -> result.saturation().ackedPerSecond());
        figures.put("pubackP50Ms", result -> result.halfLoad().pubackP50Ms());
        figures.put("pubackP99Ms", result -> result.halfLoad().pubackP99Ms());
        figures.put("pubackP999Ms", result -> result.halfLoad().pubackP999Ms());
        figures.forEach((name, figure) -> {
            final Map<String, Double> pair = new LinkedHashMap<>();
            final TargetResult mosquitto = find(targets, "mosquitto");
            final TargetResult hivemq = find(targets, "hivemq");
            pair.put(OVER_MOSQUITTO, mosquitto == null ? null : Ratio.of(figure.apply(hub), figure.apply(mosquitto)));
            pair.put(OVER_HIVEMQ, hivemq == null ? null : Ratio.of(figure.apply(hub), figure.apply(hivemq)));
            ratios.put(name, pair);
        });
        return ratios;
    }

    static TargetResult find(final List<TargetResult> targets, final String key) {
        return targets.stream().filter(target -> target.key().equals(key)).findFirst().orElse(null);
    }
}
