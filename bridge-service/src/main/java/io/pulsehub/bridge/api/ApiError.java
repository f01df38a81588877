package io.pulsehub.bridge.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The body of every 4xx and 5xx answer.
 *
 * @param error   a stable machine-readable code, e.g. {@code invalid_field}
 * @param field   the request member at fault, or {@code null} when the fault is not one member's
 * @param message for humans
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record ApiError(String error, String field, String message) {

    static ApiError of(final String error, final String message) {
        return new ApiError(error, null, message);
    }

    static ApiError ofField(final String error, final String field, final String message) {
        return new ApiError(error, field, message);
    }
}
