package io.pulsehub.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** The PNG of docs/benchmarks.md: throughput at saturation and PUBACK latency at half load, per target. */
final class BenchChart {

    private BenchChart() {
    }

    static void write(final List<TargetResult> targets, final Path png) throws IOException {
        final List<String> names = targets.stream().map(TargetResult::title).toList();
        final CategoryChart throughput = new CategoryChartBuilder().width(560).height(400)
                .title("Acked QoS 1 msg/s at saturation").yAxisTitle("msg/s").build();
        throughput.getStyler().setLegendVisible(false);
        throughput.addSeries("msg/s", names, targets.stream().map(t -> t.saturation().ackedPerSecond()).toList());

        final CategoryChart latency = new CategoryChartBuilder().width(560).height(400)
                .title("PUBACK latency at half load").yAxisTitle("ms").build();
        latency.addSeries("p50", names, values(targets, t -> t.halfLoad().pubackP50Ms()));
        latency.addSeries("p99", names, values(targets, t -> t.halfLoad().pubackP99Ms()));
        latency.addSeries("p99.9", names, values(targets, t -> t.halfLoad().pubackP999Ms()));

        final List<Chart<?, ?>> charts = new ArrayList<>(List.of(throughput, latency));
        final String base = png.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(charts, 1, 2, base, BitmapEncoder.BitmapFormat.PNG);
    }

    private static List<Double> values(final List<TargetResult> targets,
                                       final java.util.function.Function<TargetResult, Double> figure) {
        return targets.stream().map(t -> {
            final Double value = figure.apply(t);
            return value == null ? 0.0 : value;
        }).toList();
    }
}
