package io.pulsehub.benchmark;

import java.util.List;
import java.util.Map;

/** One run of ./hub bench, as written to bench/*.json. */
record BenchRun(String startedAt, double minutes, Machine machine, Settings settings, List<TargetResult> targets,
                Map<String, Map<String, Double>> ratios, ConnectionScale connections) {

    record Machine(int cpus, long memoryMb, String java, String os) {
    }

    record Settings(int devices, int loadProcesses, int maxInflight, int qos, String mqttVersion, String profile,
                    String payloadBytes, int warmupSeconds, int saturationSeconds, int halfLoadSeconds,
                    String brokerJvm, String aggregateWindow, String aggregateLateness, String brokerPersistence) {
    }
}
