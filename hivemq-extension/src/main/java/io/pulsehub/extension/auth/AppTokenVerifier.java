package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.pulsehub.contract.Identifiers;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;

/**
 * Verifies app tokens: compact JWS, HS256 with {@code HUB_JWT_SECRET}, {@code exp} required and in the future,
 * {@code nbf} (when present) reached, {@code sub} a valid owner id. The algorithm is checked against an allow-list
 * before the signature, so neither {@code alg: none} nor a token that names another algorithm gets as far as a
 * verifier. Thread-safe.
 */
final class AppTokenVerifier {

    static final JWSAlgorithm ALGORITHM = JWSAlgorithm.HS256;

    private final @NotNull MACVerifier verifier;
    private final @NotNull Clock clock;

    /** @throws IllegalArgumentException when the secret is too short for HS256 */
    AppTokenVerifier(final byte @NotNull [] secret, final @NotNull Clock clock) {
        try {
            this.verifier = new MACVerifier(secret);
        } catch (final JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    /** Cheap test used to route a login: device tokens (URL-safe base64) never contain a dot, JWTs always do. */
    static boolean looksLikeJwt(final @NotNull String password) {
        return password.indexOf('.') >= 0;
    }

    /** @return the owner id ({@code sub}) of a valid token */
    @NotNull String ownerOf(final @NotNull String token) throws InvalidAppTokenException {
        final SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (final ParseException e) {
            throw new InvalidAppTokenException("app token is not a signed JWT");
        }
        if (!ALGORITHM.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidAppTokenException("app token algorithm " + jwt.getHeader().getAlgorithm()
                    + " is not accepted; only " + ALGORITHM + " is");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidAppTokenException("app token signature is invalid");
            }
        } catch (final JOSEException e) {
            throw new InvalidAppTokenException("app token cannot be verified: " + e.getMessage());
        }
        final JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (final ParseException e) {
            throw new InvalidAppTokenException("app token claims are malformed");
        }
        final Date now = Date.from(clock.instant());
        final Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw new InvalidAppTokenException("app token has no exp claim");
        }
        if (!expires.after(now)) {
            throw new InvalidAppTokenException("app token expired");
        }
        final Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.after(now)) {
            throw new InvalidAppTokenException("app token is not valid yet (nbf)");
        }
        final String owner = claims.getSubject();
        if (!Identifiers.isOwnerId(owner)) {
            throw new InvalidAppTokenException("app token sub is not a valid owner id");
        }
        return owner;
    }
}
