package io.pulsehub.bridge.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceRequestTest {

    private static ApiError errorOf(final String body) {
        final DeviceRequest.Parsed parsed = DeviceRequest.parse(body);
        assertThat(parsed.request()).as(body).isNull();
        return parsed.error();
    }

    @Test
    void readsAValidRequest() {
        assertThat(DeviceRequest.parse("{\"id\":\"thermo-1.a_b\",\"owner\":\"alice\"}").request())
                .isEqualTo(new DeviceRequest("thermo-1.a_b", "alice"));
    }

    @Test
    void namesWhatIsWrongAndWhere() {
        assertThat(errorOf(null)).extracting(ApiError::error, ApiError::field).containsExactly("missing_body", null);
        assertThat(errorOf(" ")).extracting(ApiError::error, ApiError::field).containsExactly("missing_body", null);
        assertThat(errorOf("{\"id\":")).extracting(ApiError::error, ApiError::field)
                .containsExactly("malformed_json", null);
        assertThat(errorOf("{\"id\":\"a\",\"owner\":\"b\"} trailing")).extracting(ApiError::error)
                .isEqualTo("malformed_json");
        assertThat(errorOf("{\"id\":\"a\",\"id\":\"b\",\"owner\":\"c\"}")).extracting(ApiError::error)
                .isEqualTo("malformed_json");
        assertThat(errorOf("[\"a\"]")).extracting(ApiError::error, ApiError::field)
                .containsExactly("invalid_body", null);
        assertThat(errorOf("{\"owner\":\"alice\"}")).extracting(ApiError::error, ApiError::field)
                .containsExactly("missing_field", "id");
        assertThat(errorOf("{\"id\":null,\"owner\":\"alice\"}")).extracting(ApiError::error, ApiError::field)
                .containsExactly("missing_field", "id");
        assertThat(errorOf("{\"id\":\"d1\"}")).extracting(ApiError::error, ApiError::field)
                .containsExactly("missing_field", "owner");
        assertThat(errorOf("{\"id\":42,\"owner\":\"alice\"}")).extracting(ApiError::error, ApiError::field,
                ApiError::message).containsExactly("invalid_type", "id", "id must be a string, not number");
        assertThat(errorOf("{\"id\":\"d1\",\"owner\":[\"alice\"]}")).extracting(ApiError::error, ApiError::field)
                .containsExactly("invalid_type", "owner");
        assertThat(errorOf("{\"id\":\"d/1\",\"owner\":\"alice\"}")).extracting(ApiError::error, ApiError::field)
                .containsExactly("invalid_field", "id");
        assertThat(errorOf("{\"id\":\"" + "x".repeat(65) + "\",\"owner\":\"alice\"}")).extracting(ApiError::message)
                .isEqualTo("device id is longer than 64 characters");
        assertThat(errorOf("{\"id\":\"d1\",\"owner\":\"al ice\"}")).extracting(ApiError::error, ApiError::field)
                .containsExactly("invalid_field", "owner");
        assertThat(errorOf("{\"id\":\"d1\",\"owner\":\"alice\",\"token\":\"mine\"}"))
                .extracting(ApiError::error, ApiError::field).containsExactly("unknown_field", "token");
    }
}
