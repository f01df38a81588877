package io.pulsehub.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultMathTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void saysWhetherTheCoresOrTheGeneratorLimitedASaturationFigure() {
        final Map<String, Double> mosquitto = new LinkedHashMap<>();
        mosquitto.put("mosquitto", 35.0);
        mosquitto.put(CpuShares.SELF, 27.2);
        mosquitto.put("loadgen-1", 63.6);
        mosquitto.put("loadgen-2", 64.1);
        mosquitto.put(CpuShares.MACHINE, 190.1);
        mosquitto.put(CpuShares.OTHERS, 0.2);
        assertThat(CpuShares.limit(mosquitto, 2)).isEqualTo("the cores (190 of 200 % busy); the target 35 %, busiest "
                + "mosquitto 35 %; the load generators 128 %, more than the target, so a lighter generator would "
                + "raise this figure.");

        final Map<String, Double> hivemq = Map.of("hivemq", 104.0, "loadgen-1", 42.4, "loadgen-2", 35.4,
                CpuShares.MACHINE, 150.0);
        assertThat(CpuShares.limit(hivemq, 2)).isEqualTo("not the cores (150 of 200 % busy): the in-flight window or "
                + "a wait; the target 104 %, busiest hivemq 104 %; the load generators 78 %, less than the target; "
                + "hivemq is at one core's worth, which holds it if a single thread does the work.");
    }

    @Test
    void cpuBetweenTwoSnapshotsCountsProcessesStartedInBetweenFromNothingAndStatesTheRestOfTheMachine() {
        final Map<String, ProcStat> before = Map.of("broker", new ProcStat(100.0, 0, 0),
                CpuShares.SELF, new ProcStat(7.0, 0, 0));
        final Map<String, ProcStat> after = Map.of("broker", new ProcStat(118.5, 0, 0),
                "loadgen-1", new ProcStat(30.0, 0, 0), "loadgen-2", new ProcStat(27.0, 0, 0),
                CpuShares.SELF, new ProcStat(8.0, 0, 0));

        final Map<String, Double> percent = CpuShares.between(before, after,
                List.of("broker", "loadgen-1", "loadgen-2", "redis"), 50.0, 90.0);

        // Over 50 s: the broker 18.5 s, the generators from their start 30 and 27 s; redis was not sampled.
        assertThat(percent).containsExactly(Map.entry("broker", 37.0), Map.entry("loadgen-1", 60.0),
                Map.entry("loadgen-2", 54.0), Map.entry(CpuShares.MACHINE, 180.0), Map.entry(CpuShares.OTHERS, 29.0));
        assertThat(CpuShares.limit(percent, 2)).isEqualTo("the cores (180 of 200 % busy); the target 37 %, busiest "
                + "broker 37 %; the load generators 114 %, more than the target, so a lighter generator would raise "
                + "this figure.");
        assertThat(MarkdownReport.percentages(percent)).isEqualTo(
                "broker 37, loadgen-1 60, loadgen-2 54, machine total 180, other processes 29");
    }

    @Test
    void percentilesAreNearestRank() {
        final List<Double> samples = new ArrayList<>();
        for (int value = 1; value <= 1000; value++) {
            samples.add((double) value);
        }

        final Percentiles percentiles = Percentiles.ofMillis(samples);

        assertThat(percentiles.count()).isEqualTo(1000);
        assertThat(percentiles.p50()).isEqualTo(500.0);
        assertThat(percentiles.p99()).isEqualTo(990.0);
        assertThat(percentiles.p999()).isEqualTo(999.0);
        assertThat(percentiles.max()).isEqualTo(1000.0);
    }

    @Test
    void percentilesOfFewSamplesAreTheLargestAndOfNoneAreMissing() {
        assertThat(Percentiles.ofMillis(List.of(3.0, 1.0, 2.0)).p99()).isEqualTo(3.0);
        assertThat(Percentiles.ofMillis(List.of(3.0, 1.0, 2.0)).p50()).isEqualTo(2.0);
        assertThat(Percentiles.ofMillis(List.of()).p50()).isNull();
    }

    @Test
    void loadGeneratorProcessesAddUpAndTheWorstLatencyIsReported() throws Exception {
        final JsonNode first = JSON.readTree("{\"devices\":50,\"sent\":1000,\"acked\":1000,\"failed\":0,"
                + "\"unacknowledged\":0,\"ackedPerSecond\":5000.25,\"connectSeconds\":0.5,\"connectionLosses\":0,"
                + "\"latencyMs\":{\"p50\":1.5,\"p99\":4.0,\"p999\":9.0}}");
        final JsonNode second = JSON.readTree("{\"devices\":50,\"sent\":900,\"acked\":898,\"failed\":2,"
                + "\"unacknowledged\":0,\"ackedPerSecond\":4000.5,\"connectSeconds\":0.7,\"connectionLosses\":1,"
                + "\"latencyMs\":{\"p50\":2.5,\"p99\":3.0,\"p999\":null}}");

        final LoadResult result = LoadResult.combine(List.of(first, second));

        assertThat(result.devices()).isEqualTo(100);
        assertThat(result.acked()).isEqualTo(1898);
        assertThat(result.failed()).isEqualTo(2);
        assertThat(result.ackedPerSecond()).isEqualTo(9000.8);
        assertThat(result.connectSeconds()).isEqualTo(0.7);
        assertThat(result.pubackP50Ms()).isEqualTo(2.5);
        assertThat(result.pubackP99Ms()).isEqualTo(4.0);
        assertThat(result.pubackP999Ms()).isEqualTo(9.0);
        assertThat(result.connectionLosses()).isEqualTo(1);
    }

    @Test
    void ratiosAreHubOverBaselineAndMissingWhenABaselineIsZero() {
        assertThat(Ratio.of(8_000.0, 10_000.0)).isEqualTo(0.8);
        assertThat(Ratio.of(1.0, 3.0)).isEqualTo(0.33);
        assertThat(Ratio.of(1.0, 0.0)).isNull();
        assertThat(Ratio.of(null, 1.0)).isNull();
    }

    @Test
    void ratioTableComparesTheHubWithEachBaseline() {
        final List<TargetResult> targets = List.of(target("mosquitto", 20_000, 1.0), target("hivemq", 10_000, 2.0),
                target("hub", 8_000, 4.0));

        final Map<String, Map<String, Double>> ratios = Ratios.of(targets);

        assertThat(ratios.get("ackedPerSecond")).containsEntry(Ratios.OVER_MOSQUITTO, 0.4)
                .containsEntry(Ratios.OVER_HIVEMQ, 0.8);
        assertThat(ratios.get("pubackP99Ms")).containsEntry(Ratios.OVER_MOSQUITTO, 4.0)
                .containsEntry(Ratios.OVER_HIVEMQ, 2.0);
    }

    @Test
    void procStatReadsCpuTicksAfterACommandNameWithSpacesAndMemoryFromStatus() {
        final String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 150 0 0 20 0 40 0 "
                + "100 5000000 3000 18446744073709551615";
        assertThat(ProcStat.cpuSeconds(stat)).isEqualTo(4.0);
        final String status = "Name:\tjava\nVmHWM:\t  524288 kB\nVmRSS:\t  262144 kB\n";
        assertThat(ProcStat.kilobytes(status, "VmHWM:")).isEqualTo(524_288);
        assertThat(ProcStat.kilobytes(status, "VmRSS:")).isEqualTo(262_144);
    }

    @Test
    void machineBusyTimeLeavesOutIdleAndIoWait() {
        assertThat(ProcStat.busySeconds("cpu  100 20 30 5000 400 6 4 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"))
                .isEqualTo(1.6);
    }

    @Test
    void jcmdHeapInfoGivesTheUsedHeap() {
        assertThat(JvmHeap.usedKb("12345:\n garbage-first heap   total 1048576K, used 204800K [0x00000000c0000000, "
                + "0x0000000100000000)\n  region size 1024K")).isEqualTo(204_800);
        assertThat(JvmHeap.usedKb("9015:\n ZHeap           used 50M, capacity 378M, max capacity 1024M\n"
                + " Metaspace       used 8942K, committed 9088K, reserved 1114112K")).isEqualTo(50 * 1024);
        assertThat(JvmHeap.usedKb("no such process")).isEqualTo(-1);
    }

    @Test
    void generatedSectionReplacesOnlyItselfInTheDocument() {
        final String document = "# Benchmarks\n\nintro\n\n" + MarkdownReport.BEGIN + "\nold\n" + MarkdownReport.END
                + "\n\n## Where the time goes\nkept\n";

        final String merged = MarkdownReport.merge(document, MarkdownReport.BEGIN + "\nnew\n" + MarkdownReport.END
                + "\n");

        assertThat(merged).contains("intro", "new", "## Where the time goes\nkept").doesNotContain("old");
        assertThat(MarkdownReport.merge("# Benchmarks\n", "generated\n")).isEqualTo("# Benchmarks\n\ngenerated\n");
    }

    private static TargetResult target(final String key, final double perSecond, final double p99) {
        final LoadResult load = new LoadResult(1, 10, 0, 0, 0, 0, perSecond, 0, 1.0, p99, p99, 0);
        return new TargetResult(key, key, 10, 1, 10, load, load, Map.of(), Map.of(), Map.of(), 0, 0, 0, "", null);
    }
}
