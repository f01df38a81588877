package io.pulsehub.bridge.aggregate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregateWindowTest {

    @Test
    void parsesEveryUnitKeepingTheConfiguredNames() {
        assertThat(AggregateWindow.parseList("500ms, 10s,1m,2h")).containsExactly(
                new AggregateWindow("500ms", 500), new AggregateWindow("10s", 10_000),
                new AggregateWindow("1m", 60_000), new AggregateWindow("2h", 7_200_000));
    }

    @Test
    void refusesWhatIsNoWindow() {
        for (final String bad : List.of("", " ", "10", "10x", "1.5m", "-1s", "s", "10s,", "1m 10s", "10 s")) {
            assertThatThrownBy(() -> AggregateWindow.parseList(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesEmptyTooLongAndDuplicateWindows() {
        assertThatThrownBy(() -> AggregateWindow.parseList("0s")).hasMessageContaining("0s");
        assertThatThrownBy(() -> AggregateWindow.parseList("25h")).hasMessageContaining("24h");
        assertThatThrownBy(() -> AggregateWindow.parseList("60s,1m")).hasMessageContaining("1m is given twice");
    }

    @Test
    void windowsAreAlignedToTheEpoch() {
        final AggregateWindow tenSeconds = new AggregateWindow("10s", 10_000);
        assertThat(tenSeconds.startOf(1_732_330_000_123L)).isEqualTo(1_732_330_000_000L);
        assertThat(tenSeconds.startOf(1_732_330_009_999L)).isEqualTo(1_732_330_000_000L);
        assertThat(tenSeconds.startOf(1_732_330_010_000L)).isEqualTo(1_732_330_010_000L);
        assertThat(tenSeconds.endOf(1_732_330_000_000L)).isEqualTo(1_732_330_010_000L);
        assertThat(new AggregateWindow("1m", 60_000).startOf(1_732_330_059_999L)).isEqualTo(1_732_330_020_000L);
        assertThat(new AggregateWindow("7s", 7_000).startOf(13_999)).isEqualTo(7_000);
    }

    @Test
    void namesTheMeasurementAfterTheWindow() {
        assertThat(new AggregateWindow("10s", 10_000).measurement()).isEqualTo("aggregates_10s");
    }
}
