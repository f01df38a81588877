package io.pulsehub.bridge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.Iterator;
import java.util.Set;

/**
 * A request body read strictly as one JSON object with known members only, so that duplicate members, trailing
 * values and misspelt member names are answered with an error instead of being silently ignored.
 *
 * @param root  the object; {@code null} when {@code error} is set
 * @param error the error to answer with; {@code null} when the body is such an object
 */
record JsonObjectBody(JsonNode root, ApiError error) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * @param body    a body that is not blank (an absent body means something different to each request)
     * @param members the members the object may have
     * @param example what a good body looks like, appended to the error messages
     */
    static JsonObjectBody parse(final String body, final Set<String> members, final String example) {
        final JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (final JsonProcessingException e) {
            return error(ApiError.of("malformed_json", "request body is not valid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            return error(ApiError.of("invalid_body", "request body must be a JSON object; " + example));
        }
        for (final Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!members.contains(name)) {
                return error(ApiError.ofField("unknown_field", name, "unknown member '" + name + "'; " + example));
            }
        }
        return new JsonObjectBody(root, null);
    }

    private static JsonObjectBody error(final ApiError error) {
        return new JsonObjectBody(null, error);
    }
}
