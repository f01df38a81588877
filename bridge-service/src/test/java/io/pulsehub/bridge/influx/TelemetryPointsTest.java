package io.pulsehub.bridge.influx;

import io.pulsehub.contract.InvalidTelemetryException;
import io.pulsehub.contract.Reading;
import io.pulsehub.contract.TelemetryCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryPointsTest {

    @Test
    void oneFloatFieldPerMetricTaggedWithTheDeviceAtTheReadingTimeInNanoseconds() {
        final Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("temperature", 21.5);
        metrics.put("humidity", 40.0);

        assertThat(TelemetryPoints.of("d1", new Reading(1_732_330_000_123_000_000L, metrics)).lineProtocol())
                .isEqualTo("telemetry,device=d1 humidity=40.0,temperature=21.5 1732330000123000000");
    }

    @Test
    void brokerTimedReadingsKeepTheirSubMillisecondIdentity() throws InvalidTelemetryException {
        final long brokerTime = 1_732_330_000_123_001_000L;
        final List<Reading> readings = TelemetryCodec.decode(
                "[{\"t\":1},{\"t\":2}]".getBytes(StandardCharsets.UTF_8), brokerTime);
        final List<org.influxdb.dto.Point> points = new ArrayList<>();

        TelemetryPoints.addAll("d1", readings, points);

        assertThat(points).extracting(org.influxdb.dto.Point::lineProtocol).containsExactly(
                "telemetry,device=d1 t=1.0 1732330000123001000", "telemetry,device=d1 t=2.0 1732330000123001001");
    }

    @Test
    void onlyContentRefusalsAreNeverRetried() {
        assertThat(TelemetryStore.refusesThePoints(org.influxdb.InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"partial write: field type conflict: input field \\\"t\\\" is type integer\"}")))
                .isTrue();
        assertThat(TelemetryStore.refusesThePoints(org.influxdb.InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"partial write: points beyond retention policy dropped=1\"}"))).isTrue();
        assertThat(TelemetryStore.refusesThePoints(new org.influxdb.InfluxDBIOException(
                new java.io.IOException("connection refused")))).isFalse();
        assertThat(TelemetryStore.refusesThePoints(org.influxdb.InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"database not found: pulsehub\"}"))).isFalse();
        assertThat(TelemetryStore.refusesThePoints(org.influxdb.InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"authorization failed\"}"))).isFalse();
    }
}
