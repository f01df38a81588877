package io.pulsehub.simulator.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.pulsehub.simulator.CannotStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsFileTest {

    @TempDir
    Path folder;

    @Test
    void readsOneDevicePerLineSkippingBlankLinesAndComments() throws Exception {
        final Path file = Files.writeString(folder.resolve("devices.jsonl"), """
                # provisioned for the demo
                {"id":"d1","owner":"alice","token":"t1"}

                {"id":"d2","token":"t2","enabled":true}
                   {"id":"d.3_x-y","token":"t3"}\s\s
                """);

        assertThat(CredentialsFile.read(file)).containsExactly(
                new DeviceCredentials("d1", "alice", "t1"),
                new DeviceCredentials("d2", null, "t2"),
                new DeviceCredentials("d.3_x-y", null, "t3"));
    }

    @Test
    void writtenFilesReadBackAndOnlyTheirOwnerMayReadThem() throws Exception {
        final List<DeviceCredentials> devices = List.of(new DeviceCredentials("d1", "demo", "secret-1"),
                new DeviceCredentials("d2", "demo", "secret-2"));
        final Path file = folder.resolve("out/creds.jsonl");

        CredentialsFile.write(file, devices);
        CredentialsFile.write(file, devices);

        assertThat(CredentialsFile.read(file)).isEqualTo(devices);
        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"id\":\"d1\",\"owner\":\"demo\",\"token\":\"secret-1\"}",
                "{\"id\":\"d2\",\"owner\":\"demo\",\"token\":\"secret-2\"}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void problemsNameTheFileAndLine() {
        assertProblem("{\"id\":\"d1\",\"token\":\"t\"}\nid,token\n", "line 2: not a JSON object; expected JSON lines");
        assertProblem("[1,2]", "line 1: not a JSON object");
        assertProblem("{\"id\":\"d1\"}", "line 1: \"token\" is missing or not a string");
        assertProblem("{\"token\":\"t\"}", "line 1: \"id\" is missing or not a string");
        assertProblem("{\"id\":\"d1\",\"token\":42}", "line 1: \"token\" is missing or not a string");
        assertProblem("{\"id\":\"bad/id\",\"token\":\"t\"}", "line 1: device id must match");
        assertProblem("{\"id\":\"d1\",\"token\":\"t\"}\n{\"id\":\"d1\",\"token\":\"u\"}",
                "line 2: device d1 is listed twice");
        assertProblem("# nothing here\n\n", "lists no devices");
    }

    @Test
    void aMissingFileSaysSo() {
        assertThatThrownBy(() -> CredentialsFile.read(folder.resolve("nope.jsonl")))
                .isInstanceOf(CannotStartException.class)
                .hasMessageContaining("nope.jsonl does not exist");
    }

    @Test
    void tokensNeverAppearInToString() {
        assertThat(new DeviceCredentials("d1", "demo", "very-secret")).asString().doesNotContain("very-secret");
    }

    private void assertProblem(final String content, final String expected) {
        final Path file = folder.resolve("problem.jsonl");
        assertThatThrownBy(() -> CredentialsFile.read(Files.writeString(file, content)))
                .isInstanceOf(CannotStartException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(expected);
    }
}
