package io.pulsehub.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulsehub.bridge.stream.DeadLetterQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The optional body of {@code POST /api/dlq/replay}: {@code {"ids": ["<dead letter id>", ...]}}. */
final class ReplayRequest {

    /** @param ids the ids to replay, {@code null} for all; {@code error} non-null when the body is wrong */
    record Parsed(List<String> ids, ApiError error) {
    }

    static final String IDS = "ids";
    static final int MAX_IDS = 1000;
    private static final String EXAMPLE = "expected no body (replay all) or {\"ids\": [\"<dead letter id>\"]}";

    private ReplayRequest() {
    }

    static Parsed parse(final String body) {
        if (body == null || body.isBlank()) {
            return new Parsed(null, null);
        }
        final JsonObjectBody object = JsonObjectBody.parse(body, Set.of(IDS), EXAMPLE);
        if (object.error() != null) {
            return error(object.error());
        }
        final JsonNode ids = object.root().get(IDS);
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
