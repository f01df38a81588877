package io.pulsehub.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulsehub.contract.Identifiers;

import java.util.Set;

/**
 * The body of {@code POST /api/devices}, {@code {"id": "...", "owner": "..."}}, read strictly: every way it can be
 * wrong gets its own error naming the member at fault, so a client developer knows what to fix.
 */
record DeviceRequest(String id, String owner) {

    /** Parsed request or the error to answer with; exactly one is non-null. */
    record Parsed(DeviceRequest request, ApiError error) {
    }

    static final String ID = "id";
    static final String OWNER = "owner";
    private static final Set<String> MEMBERS = Set.of(ID, OWNER);
    private static final String EXAMPLE = "expected {\"id\": \"<device id>\", \"owner\": \"<owner id>\"}";

    static Parsed parse(final String body) {
        if (body == null || body.isBlank()) {
            return error(ApiError.of("missing_body", "request body is missing; " + EXAMPLE));
        }
        final JsonObjectBody object = JsonObjectBody.parse(body, MEMBERS, EXAMPLE);
        if (object.error() != null) {
            return error(object.error());
        }
        final JsonNode root = object.root();
        final Parsed id = text(root, ID);
        if (id.error() != null) {
            return id;
        }
        final String idProblem = Identifiers.deviceIdProblem(id.request().id());
        if (idProblem != null) {
            return error(ApiError.ofField("invalid_field", ID, idProblem));
        }
        final Parsed owner = text(root, OWNER);
        if (owner.error() != null) {
            return owner;
        }
        final String ownerProblem = Identifiers.ownerIdProblem(owner.request().id());
        if (ownerProblem != null) {
            return error(ApiError.ofField("invalid_field", OWNER, ownerProblem));
        }
        return new Parsed(new DeviceRequest(id.request().id(), owner.request().id()), null);
    }

    /** The member as text, carried in {@code request.id} of the result. */
    private static Parsed text(final JsonNode root, final String member) {
        final JsonNode value = root.get(member);
        if (value == null || value.isNull()) {
            return error(ApiError.ofField("missing_field", member, member + " is missing; " + EXAMPLE));
        }
        if (!value.isTextual()) {
            return error(ApiError.ofField("invalid_type", member, member + " must be a string, not "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return new Parsed(new DeviceRequest(value.textValue(), null), null);
    }

    private static Parsed error(final ApiError error) {
        return new Parsed(null, error);
    }
}
