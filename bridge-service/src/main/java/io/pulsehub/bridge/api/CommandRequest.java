package io.pulsehub.bridge.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;

/**
 * The body of a command: any JSON value, passed to the device byte for byte. It is only checked to be one complete
 * JSON document, so a device never receives half a message or two.
 */
final class CommandRequest {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CommandRequest() {
    }

    /** @return the error to answer with, or {@code null} when the body is one JSON document */
    static ApiError problem(final byte[] body) {
        if (body == null || body.length == 0) {
            return ApiError.of("missing_body", "request body is missing; send the command as JSON, e.g. {}");
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() == null) {
                return ApiError.of("missing_body", "request body is blank; send the command as JSON, e.g. {}");
            }
            parser.skipChildren();
            final JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                return ApiError.of("malformed_json", "request body holds more than one JSON value");
            }
            return null;
        } catch (final JsonProcessingException e) {
            return ApiError.of("malformed_json", "request body is not valid JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            return ApiError.of("malformed_json", "request body could not be read: " + e.getMessage());
        }
    }
}
