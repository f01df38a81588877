package io.pulsehub.simulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line without a broker: option validation, help, app tokens, and failures before any MQTT. */
class CommandLineTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";

    @TempDir
    Path folder;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--qos 3                      | QoS must be 0, 1 or 2",
            "--rate -1                    | rate must be a number >= 0",
            "--rate fast                  | Invalid value for option '--rate'",
            "--mqtt-version 4             | '4' is not an MQTT version; use 3 or 5",
            "--duration 30                | '30' is not a duration; use e.g. 250ms, 30s",
            "--duration 30s --count 5     | mutually exclusive",
            "--count 0                    | --count must be at least 1",
            "--devices 0                  | --devices must be at least 1",
            "--max-inflight 0             | max in-flight must be 1..65535",
            "--profile toaster            | Invalid value for option '--profile'",
            "--prefix bad/prefix --admin-token x | --prefix 'bad/prefix' makes invalid device ids",
            "--owner no/owner --admin-token x    | --owner: owner must match",
            "--http-url ftp://x --admin-token x  | --http-url: not an http(s) URL",
            "--duration 2s --latency-after 2s | latency-after (2000 ms) must be shorter than the duration (2000 ms)",
            "--latency-after -1s          | '-1s' is not a duration",
            "--bogus                      | Unknown option: '--bogus'"})
    void badOptionsAreUsageErrorsWithExitCode2(final String options, final String message) {
        final Cli cli = Cli.run(("run " + options).split(" +"));

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).as(cli.toString()).contains(message).contains("Usage: device-simulator run");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void withoutCredentialsOrAnAdminTokenItSaysWhatToGive() {
        final Cli cli = Cli.run("run", "--count", "1");

        assertThat(cli.exitCode()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).contains("no device credentials: give --credentials FILE, or an admin token "
                + "(--admin-token or HUB_ADMIN_TOKEN)");
    }

    @Test
    void provisioningOptionsDoNotMixWithACredentialsFile() throws Exception {
        final Path file = Files.writeString(folder.resolve("c.jsonl"), "{\"id\":\"d1\",\"token\":\"t\"}\n");

        final Cli cli = Cli.run("run", "--credentials", file.toString(), "--owner", "bob", "--prefix", "x");

        assertThat(cli.exitCode()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).contains("--owner, --prefix only apply when provisioning");
    }

    @Test
    void moreDevicesThanTheCredentialsFileListsIsAnError() throws Exception {
        final Path file = Files.writeString(folder.resolve("c.jsonl"), "{\"id\":\"d1\",\"token\":\"t\"}\n");

        final Cli cli = Cli.run("run", "--credentials", file.toString(), "--devices", "2");

        assertThat(cli.exitCode()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).contains("--devices 2 but " + file + " lists only 1");
    }

    @Test
    void aMissingCredentialsFileIsAOneLineError() {
        final Cli cli = Cli.run("run", "--credentials", folder.resolve("missing.jsonl").toString());

        assertThat(cli.exitCode()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).isEqualTo("error: credentials file " + folder.resolve("missing.jsonl")
                + " does not exist" + System.lineSeparator());
    }

    @Test
    void anUnreachableHttpApiIsAOneLineErrorNamingIt() {
        final String url = "http://127.0.0.1:" + FreePorts.find();

        final Cli cli = Cli.run(Map.of("HUB_ADMIN_TOKEN", "admin", "HUB_HTTP_URL", url), "run", "--devices", "2");

        assertThat(cli.exitCode()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).startsWith("error: cannot reach the hub's HTTP API at " + url + "/")
                .doesNotContain("Exception");
    }

    @Test
    void runIsTheDefaultCommand() {
        assertThat(Simulator.withDefaultSubcommand(new String[0])).containsExactly("run");
        assertThat(Simulator.withDefaultSubcommand(new String[]{"--devices", "3"}))
                .containsExactly("run", "--devices", "3");
        assertThat(Simulator.withDefaultSubcommand(new String[]{"--help"})).containsExactly("--help");
        assertThat(Simulator.withDefaultSubcommand(new String[]{"watch", "--device", "d"}))
                .containsExactly("watch", "--device", "d");
        assertThat(Simulator.withDefaultSubcommand(new String[]{"-v", "app-token"})).containsExactly("-v", "app-token");
        assertThat(Simulator.withDefaultSubcommand(new String[]{"-v", "--count", "1"}))
                .containsExactly("run", "-v", "--count", "1");

        final Cli cli = Cli.run("--count", "0");
        assertThat(cli.err()).contains("--count must be at least 1");
    }

    @Test
    void helpDocumentsTheCredentialsFormatAndExitCodes() {
        final Cli cli = Cli.run("run", "--help");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains("--credentials=FILE", "JSON lines, one device per line",
                "--mqtt-version=3|5", "--duration=DURATION", "--count=N", "Exit code 0");
    }

    @Test
    void appTokenPrintsAJwtForTheOwnerSignedWithTheHubSecret() throws Exception {
        final Cli cli = Cli.run(Map.of(AppTokens.JWT_SECRET_ENV, SECRET), "app-token", "--owner", "alice",
                "--ttl", "2h");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        final SignedJWT jwt = SignedJWT.parse(cli.out().strip());
        assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
                .isBetween(Instant.now().plus(Duration.ofMinutes(119)), Instant.now().plus(Duration.ofMinutes(121)));
        assertThat(WatchCommand.ownerOf(cli.out().strip())).isEqualTo("alice");
    }

    @Test
    void appTokenWithoutTheSecretSaysWhichVariableToSet() {
        final Cli cli = Cli.run("app-token");

        assertThat(cli.exitCode()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).startsWith("error: HUB_JWT_SECRET is not set");
    }

    @Test
    void appTokenWithAShortSecretOrABadOwnerIsRefused() {
        assertThat(Cli.run(Map.of(AppTokens.JWT_SECRET_ENV, "short"), "app-token").err())
                .contains("HUB_JWT_SECRET must be at least 32 bytes");
        assertThat(Cli.run(Map.of(AppTokens.JWT_SECRET_ENV, SECRET), "app-token", "--owner", "a b").err())
                .contains("--owner: owner must match");
    }

    @Test
    void watchNeedsATokenAndDevices() {
        assertThat(Cli.run("watch", "--device", "d1").err()).contains("no app token: give --token or set "
                + "HUB_APP_TOKEN");
        assertThat(Cli.run("watch", "--token", "t").err()).contains("no devices to watch");
        assertThat(Cli.run("watch", "--token", "t", "--device", "a/b").err()).contains("--device 'a/b'");
        assertThat(Cli.run("watch", "--token", "t", "--device", "d1", "--window", "#").err())
                .contains("--window '#' is not a window name");
    }

    @Test
    void watchReportsAnUnreachableHubWithExitCode2() {
        final String url = "tcp://127.0.0.1:" + FreePorts.find();

        final Cli cli = Cli.run("watch", "--token", "t", "--device", "d1", "--mqtt-url", url);

        assertThat(cli.exitCode()).isEqualTo(Simulator.EXIT_CANNOT_START);
        assertThat(cli.err()).startsWith("error: cannot reach the hub at " + url + " (Connection refused)");
    }

    @Test
    void watchFallsBackToAPlainUsernameForTokensItCannotRead() {
        assertThat(WatchCommand.ownerOf("not-a-jwt")).isEqualTo("app");
        assertThat(WatchCommand.ownerOf("a.b.c")).isEqualTo("app");
    }
}
