package io.pulsehub.bridge.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayRequestTest {

    @Test
    void noBodyOrNoIdsMeansEverything() {
        assertThat(ReplayRequest.parse(null)).isEqualTo(new ReplayRequest.Parsed(null, null));
        assertThat(ReplayRequest.parse(" ")).isEqualTo(new ReplayRequest.Parsed(null, null));
        assertThat(ReplayRequest.parse("{}")).isEqualTo(new ReplayRequest.Parsed(null, null));
        assertThat(ReplayRequest.parse("{\"ids\":null}")).isEqualTo(new ReplayRequest.Parsed(null, null));
    }

    @Test
    void takesTheIdsOnceEachInOrder() {
        assertThat(ReplayRequest.parse("{\"ids\":[\"2-0\",\"1-5\",\"2-0\"]}").ids()).containsExactly("2-0", "1-5");
        assertThat(ReplayRequest.parse("{\"ids\":[]}").ids()).isEmpty();
    }

    @Test
    void namesWhatIsWrong() {
        assertThat(ReplayRequest.parse("{\"ids\":[\"1-0\",\"x\"]}").error())
                .isEqualTo(ApiError.ofField("invalid_field", "ids",
                        "ids[1] is not the id of a dead letter; ids look like 1732330000123-0"));
        assertThat(ReplayRequest.parse("{\"ids\":\"1-0\"}").error().error()).isEqualTo("invalid_type");
        assertThat(ReplayRequest.parse("{\"id\":[]}").error().field()).isEqualTo("id");
        assertThat(ReplayRequest.parse("[]").error().error()).isEqualTo("invalid_body");
        assertThat(ReplayRequest.parse("{").error().error()).isEqualTo("malformed_json");
        assertThat(ReplayRequest.parse("{\"ids\":[" + "\"1-0\",".repeat(1000) + "\"2-0\"]}").error().message())
                .contains("at most 1000");
    }
}
