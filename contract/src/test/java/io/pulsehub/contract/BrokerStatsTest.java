package io.pulsehub.contract;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerStatsTest {

    private static final BrokerStats SAMPLE = new BrokerStats("broker-1.example:a_b", 1_732_330_000_123L, 12, 9,
            40, 3, 1_000_000_000_000L, 17);

    @Test
    void layoutIsPinned() {
        // Extension and bridge release separately; these names are the interface between them.
        assertThat(BrokerStats.key("b1")).isEqualTo("pulsehub:broker:b1");
        assertThat(BrokerStats.NODES).isEqualTo("pulsehub:brokers");
        assertThat(BrokerStats.FIELDS).containsExactly("sampled_at_ms", "connected_clients", "connected_devices",
                "auth_succeeded_total", "auth_failed_total", "publishes_stored_total", "publishes_refused_total");
    }

    @Test
    void roundTripsThroughHashFields() {
        final Map<String, String> fields = SAMPLE.toFields();

        assertThat(fields).containsEntry("sampled_at_ms", "1732330000123")
                .containsEntry("connected_clients", "12")
                .containsEntry("connected_devices", "9")
                .containsEntry("auth_succeeded_total", "40")
                .containsEntry("auth_failed_total", "3")
                .containsEntry("publishes_stored_total", "1000000000000")
                .containsEntry("publishes_refused_total", "17")
                .hasSize(7);
        assertThat(BrokerStats.fromFields(SAMPLE.node(), fields)).isEqualTo(SAMPLE);
        assertThat(SAMPLE.values().keySet()).containsExactlyElementsOf(BrokerStats.FIELDS);
        assertThat(SAMPLE.values()).containsEntry("auth_failed_total", 3L);
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerBrokersMayAddSome() {
        final Map<String, String> fields = new HashMap<>(SAMPLE.toFields());
        fields.put("retained_messages", "5");

        assertThat(BrokerStats.fromFields(SAMPLE.node(), fields)).isEqualTo(SAMPLE);
    }

    @Test
    void malformedHashesAreRefusedNamingTheFieldButNotItsValue() {
        final Map<String, String> missing = new HashMap<>(SAMPLE.toFields());
        missing.remove("auth_failed_total");
        assertThatThrownBy(() -> BrokerStats.fromFields("b1", missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lack the field auth_failed_total");

        final Map<String, String> text = new HashMap<>(SAMPLE.toFields());
        text.put("connected_clients", "many<script>");
        assertThatThrownBy(() -> BrokerStats.fromFields("b1", text))
                .hasMessageContaining("connected_clients is not a whole number").hasMessageNotContaining("script");

        final Map<String, String> negative = new HashMap<>(SAMPLE.toFields());
        negative.put("publishes_stored_total", "-1");
        assertThatThrownBy(() -> BrokerStats.fromFields("b1", negative))
                .hasMessageContaining("publishes_stored_total is negative");

        assertThatThrownBy(() -> BrokerStats.fromFields("b1", Map.of()))
                .hasMessageContaining("empty (expired or never written)");
    }

    @Test
    void nodeNamesAreRefusedOutsideTheConsumerNameCharset() {
        assertThat(BrokerStats.isNodeName("hivemq-1")).isTrue();
        assertThat(BrokerStats.isNodeName("10.0.0.7:1883")).isTrue();
        assertThat(BrokerStats.isNodeName("x".repeat(128))).isTrue();
        assertThat(BrokerStats.isNodeName("x".repeat(129))).isFalse();
        assertThat(BrokerStats.isNodeName("")).isFalse();
        assertThat(BrokerStats.isNodeName(null)).isFalse();
        assertThat(BrokerStats.isNodeName("a b")).isFalse();
        assertThat(BrokerStats.isNodeName("a*")).isFalse();
        assertThatThrownBy(() -> BrokerStats.key("a*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BrokerStats("a,b=c", 1, 0, 0, 0, 0, 0, 0))
                .hasMessageContaining("[A-Za-z0-9_.:-]{1,128}");
        assertThatThrownBy(() -> new BrokerStats("b1", 1, -1, 0, 0, 0, 0, 0))
                .hasMessageContaining("connected_clients is negative");
    }

    @Test
    void samplesOutliveAFewMissedReportsAndForgottenNodesOutliveTheirSamples() {
        assertThat(BrokerStats.expiry(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(15));
        assertThat(BrokerStats.FORGET_AFTER).isGreaterThan(BrokerStats.expiry(BrokerStats.MAX_INTERVAL));
        assertThatThrownBy(() -> BrokerStats.expiry(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerStats.expiry(Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
