package io.pulsehub.benchmark;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchSettingsTest {

    private static BenchSettings parse(final String... args) {
        return BenchSettings.from(BenchSettings.commandLine().parseArgs(args));
    }

    @Test
    void defaultsAreTheDocumentedLoadAndAreReported() {
        final BenchSettings settings = parse("--root", "/srv/pulsehub");

        assertThat(settings.root()).isEqualTo(Path.of("/srv/pulsehub"));
        assertThat(settings.devices()).isEqualTo(100);
        assertThat(settings.maxInflight()).isEqualTo(10);
        assertThat(settings.targets()).containsExactly("mosquitto", "hivemq", "hub", "connections");
        assertThat(settings.profile()).isFalse();
        assertThat(settings.brokerPersistence()).isEqualTo("file");
        assertThat(settings.defaultsUsed()).contains("--devices 100", "--inflight 10",
                "--targets mosquitto,hivemq,hub,connections", "--profile false").doesNotContain("--root .")
                .noneMatch(line -> line.startsWith("--help"));
    }

    @Test
    void takesEveryOptionGiven() {
        final BenchSettings settings = parse("--devices", "20", "--inflight", "30", "--targets", "hub,mosquitto",
                "--profile", "true", "--half", "60", "--broker-persistence", "in-memory");

        assertThat(settings.devices()).isEqualTo(20);
        assertThat(settings.maxInflight()).isEqualTo(30);
        assertThat(settings.targets()).containsExactly("hub", "mosquitto");
        assertThat(settings.profile()).isTrue();
        assertThat(settings.halfLoadSeconds()).isEqualTo(60);
        assertThat(settings.brokerPersistence()).isEqualTo("in-memory");
        assertThat(settings.defaultsUsed()).doesNotContain("--devices 100").contains("--processes 2");
    }

    @Test
    void refusesWhatItCannotRunNamingTheOption() {
        assertThatThrownBy(() -> parse("--devices", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--devices must be 1..2000");
        assertThatThrownBy(() -> parse("--targets", "hub,kafka")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--targets is a list of");
        assertThatThrownBy(() -> parse("--broker-persistence", "memory")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--broker-persistence must be file or in-memory");
        assertThatThrownBy(() -> parse("--devices", "many")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--devices").hasMessageContaining("many");
        assertThatThrownBy(() -> parse("--seconds", "5")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--seconds");
    }

    @Test
    void helpListsTheOptions() {
        final CommandLine cli = BenchSettings.commandLine();
        cli.parseArgs("--help");

        assertThat(cli.isUsageHelpRequested()).isTrue();
        assertThat(cli.getUsageMessage()).contains("--devices", "--targets", "--profile", "default: 100");
        assertThat(List.of(cli.getUsageMessage().split("\n"))).anyMatch(line -> line.contains("--inflight"));
    }
}
