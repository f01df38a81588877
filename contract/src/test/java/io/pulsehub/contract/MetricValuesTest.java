package io.pulsehub.contract;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricValuesTest {

    private final MetricValues metrics = new MetricValues(new String[] {"temperature", "humidity", "battery"},
            new double[] {21.5, -0.0, 97});

    @Test
    void behavesAsTheMapOfItsNamesAndValuesInPayloadOrder() {
        final Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("temperature", 21.5);
        expected.put("humidity", -0.0);
        expected.put("battery", 97.0);

        assertThat(metrics).isEqualTo(expected);
        assertThat(expected).isEqualTo(metrics);
        assertThat(metrics.hashCode()).isEqualTo(expected.hashCode());
        assertThat(metrics.keySet()).containsExactly("temperature", "humidity", "battery");
        assertThat(metrics.values()).containsExactly(21.5, -0.0, 97.0);
        assertThat(metrics.get("humidity")).isEqualTo(-0.0);
        assertThat(metrics.get("pressure")).isNull();
        assertThat(metrics.containsKey("battery")).isTrue();
        assertThat(metrics).hasSize(3);
    }

    @Test
    void cannotBeChanged() {
        assertThatThrownBy(() -> metrics.put("pressure", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> metrics.entrySet().iterator().next().setValue(1.0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> metrics.remove("battery")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(metrics).hasSize(3);
    }
}
