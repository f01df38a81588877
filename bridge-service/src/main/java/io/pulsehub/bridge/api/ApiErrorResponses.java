package io.pulsehub.bridge.api;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Gives the errors Micronaut answers by itself (unknown route, wrong method, unreadable request, failures) the same
 * JSON body as the API's own errors. Replaces Micronaut's default processor, which steps aside for any other.
 */
@Singleton
class ApiErrorResponses implements ErrorResponseProcessor<ApiError> {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorResponses.class);

    @Override
    public MutableHttpResponse<ApiError> processResponse(final ErrorContext context,
                                                         final MutableHttpResponse<?> response) {
        final HttpStatus status = response.getStatus();
        final String message;
        if (status.getCode() >= 500) {
            // Internals (hosts, stack traces) stay in the log.
            context.getRootCause().ifPresent(cause -> log.warn("{} {} failed: {}", context.getRequest().getMethod(),
                    context.getRequest().getPath(), cause.toString()));
            message = status == HttpStatus.SERVICE_UNAVAILABLE ? "a backing service is unavailable; try again"
                    : "internal error";
        } else if (status == HttpStatus.NOT_FOUND) {
            message = "no such resource: " + context.getRequest().getMethod() + " " + context.getRequest().getPath();
        } else if (context.hasErrors()) {
            message = context.getErrors().get(0).getMessage();
        } else {
            message = status.getReason();
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ApiError.of(code(status), message));
    }

    static String code(final HttpStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
