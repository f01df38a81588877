package io.pulsehub.bridge.metrics;

import io.pulsehub.contract.BrokerStats;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerPointTest {

    @Test
    void oneIntegerFieldPerNumberTaggedWithTheNodeAndTimedAtTheSample() {
        final Point point = BrokerPoint.of(new BrokerStats("hivemq-1", 1_732_330_000_123L, 12, 9, 40, 3, 1_000, 17));

        assertThat(point.lineProtocol()).isEqualTo("pulsehub_broker,broker=hivemq-1 "
                + "auth_failed_total=3i,auth_succeeded_total=40i,connected_clients=12i,connected_devices=9i,"
                + "publishes_refused_total=17i,publishes_stored_total=1000i 1732330000123000000");
    }
}
