package io.pulsehub.bridge.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRequestTest {

    private static ApiError problem(final String body) {
        return CommandRequest.problem(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsAnyOneJsonValue() {
        for (final String body : new String[] {"{}", "{\"a\":[1,{\"b\":null}]}", "[]", "\"go\"", "42", "true",
                "null", "  {\"x\": \"é\"}\n"}) {
            assertThat(problem(body)).as(body).isNull();
        }
    }

    @Test
    void refusesWhatIsNotExactlyOneJsonValue() {
        assertThat(problem(null).error()).isEqualTo("missing_body");
        assertThat(problem("").error()).isEqualTo("missing_body");
        assertThat(problem("   ").error()).isEqualTo("missing_body");
        for (final String body : new String[] {"{", "{} {}", "1 2", "{\"a\":1,\"a\":2}", "reboot", "{'a':1}",
                "[1,]"}) {
            assertThat(problem(body)).as(body).isNotNull().extracting(ApiError::error).isEqualTo("malformed_json");
        }
    }
}
