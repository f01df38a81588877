package io.pulsehub.bridge.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.pulsehub.bridge.config.BridgeConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Admits a request under {@code /api} only with {@code Authorization: Bearer <HUB_ADMIN_TOKEN>}. Anything else, an
 * unknown route included, gets 401 before routing: the API reveals nothing to a caller without the token.
 */
@ServerFilter({"/api", "/api/**"})
class AdminTokenFilter {

    private static final String BEARER = "Bearer ";

    private final byte[] expectedDigest;

    AdminTokenFilter(final BridgeConfig config) {
        this.expectedDigest = sha256(config.adminToken());
    }

    @RequestFilter
    @Nullable
    HttpResponse<ApiError> authorize(final HttpRequest<?> request) {
        final String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return unauthorized("missing Authorization: Bearer <admin token>");
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return unauthorized("Authorization must use the Bearer scheme");
        }
        // Digests have one length whatever was sent, so the comparison's time says nothing about the token.
        if (!MessageDigest.isEqual(sha256(header.substring(BEARER.length()).trim()), expectedDigest)) {
            return unauthorized("admin token is not valid");
        }
        return null;
    }

    private static HttpResponse<ApiError> unauthorized(final String message) {
        return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(ApiError.of("unauthorized", message));
    }

    private static byte[] sha256(final String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
