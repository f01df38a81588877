package io.pulsehub.bridge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pulsehub.bridge.stream.DeadLetterQueue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** The optional body of {@code POST /api/dlq/replay}: {@code {"ids": ["<dead letter id>", ...]}}. */
final class ReplayRequest {

    /** @param ids the ids to replay, {@code null} for all; {@code error} non-null when the body is wrong */
    record Parsed(List<String> ids, ApiError error) {
    }

    static final String IDS = "ids";
    static final int MAX_IDS = 1000;
    private static final String EXAMPLE = "expected no body (replay all) or {\"ids\": [\"<dead letter id>\"]}";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ReplayRequest() {
    }

    static Parsed parse(final String body) {
        if (body == null || body.isBlank()) {
            return new Parsed(null, null);
        }
        final JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (final JsonProcessingException e) {
            return error(ApiError.of("malformed_json", "request body is not valid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            return error(ApiError.of("invalid_body", "request body must be a JSON object; " + EXAMPLE));
        }
        for (final Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!IDS.equals(name)) {
                return error(ApiError.ofField("unknown_field", name, "unknown member '" + name + "'; " + EXAMPLE));
            }
        }
        final JsonNode ids = root.get(IDS);
        if (ids == null || ids.isNull()) {
            return new Parsed(null, null);
        }
        if (!ids.isArray()) {
            return error(ApiError.ofField("invalid_type", IDS, "ids must be an array of strings, not "
                    + ids.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        if (ids.size() > MAX_IDS) {
            return error(ApiError.ofField("invalid_field", IDS, "at most " + MAX_IDS + " ids per request"));
        }
        final List<String> parsed = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            final JsonNode id = ids.get(i);
            if (!id.isTextual() || !DeadLetterQueue.isEntryId(id.textValue())) {
                return error(ApiError.ofField("invalid_field", IDS, "ids[" + i
                        + "] is not the id of a dead letter; ids look like 1732330000123-0"));
            }
            if (!parsed.contains(id.textValue())) {
                parsed.add(id.textValue());
            }
        }
        return new Parsed(List.copyOf(parsed), null);
    }

    private static Parsed error(final ApiError error) {
        return new Parsed(null, error);
    }
}
