package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.pulsehub.contract.Identifiers;

import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies app tokens: a compact JWS signed with HS256 and {@code HUB_JWT_SECRET}, or with RS256/ES256 and a public
 * key of the configured JWK set; {@code exp} required and not passed, {@code nbf} (when present) reached, both
 * within the clock skew; {@code iss} and {@code aud} when configured; {@code sub} a valid owner id.
 * <p>
 * Each algorithm has exactly one kind of key: HS256 only ever the hub's secret, RS256/ES256 only public keys of
 * their own type. So an HS256 token "signed" with a public key as HMAC secret (algorithm confusion) meets the
 * secret and fails, and neither {@code alg: none} nor any other algorithm gets as far as a verifier. Thread-safe.
 */
final class AppTokenVerifier {

    static final JWSAlgorithm SHARED_SECRET_ALGORITHM = JWSAlgorithm.HS256;
    static final Set<JWSAlgorithm> PUBLIC_KEY_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    /** The token could not be checked because its public keys could not be fetched; not the client's fault. */
    static final class KeysUnavailableException extends Exception {

        KeysUnavailableException(final @NotNull String reason) {
            super(reason, null, false, false);
        }
    }

    private final @NotNull MACVerifier secretVerifier;
    private final @Nullable JWSVerificationKeySelector<SecurityContext> publicKeys;
    private final @NotNull DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
    private final @Nullable String issuer;
    private final @Nullable String audience;
    private final @NotNull Duration clockSkew;
    private final @NotNull Clock clock;

    /**
     * @param publicKeys RS256/ES256 keys, or {@code null} when only HS256 tokens are accepted
     * @throws IllegalArgumentException when the secret is too short for HS256
     */
    AppTokenVerifier(final byte @NotNull [] secret, final @Nullable JWKSource<SecurityContext> publicKeys,
                     final @Nullable String issuer, final @Nullable String audience,
                     final @NotNull Duration clockSkew, final @NotNull Clock clock) {
        try {
            this.secretVerifier = new MACVerifier(secret);
        } catch (final JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
        }
        this.publicKeys = publicKeys == null ? null : new JWSVerificationKeySelector<>(PUBLIC_KEY_ALGORITHMS,
                publicKeys);
        this.issuer = issuer;
        this.audience = audience;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /** HS256 only, no claims beyond exp/nbf/sub, no skew. */
    AppTokenVerifier(final byte @NotNull [] secret, final @NotNull Clock clock) {
        this(secret, null, null, null, Duration.ZERO, clock);
    }

    /** Cheap test used to route a login: device tokens (URL-safe base64) never contain a dot, JWTs always do. */
    static boolean looksLikeJwt(final @NotNull String password) {
        return password.indexOf('.') >= 0;
    }

    /**
     * @return the owner id ({@code sub}) of a valid token
     * @throws InvalidAppTokenException why the token is refused, in words fit for the client and the log
     * @throws KeysUnavailableException when the JWK set URL cannot be read right now
     */
    @NotNull String ownerOf(final @NotNull String token) throws InvalidAppTokenException, KeysUnavailableException {
        final SignedJWT jwt = parse(token);
        verifySignature(jwt);
        return checkClaims(claimsOf(jwt));
    }

    private static @NotNull SignedJWT parse(final @NotNull String token) throws InvalidAppTokenException {
        final JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (final ParseException e) {
            throw new InvalidAppTokenException("app token is not a JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw new InvalidAppTokenException("unsigned app tokens (alg none) are not accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new InvalidAppTokenException("app token is not a signed JWT");
        }
        return signed;
    }

    private void verifySignature(final @NotNull SignedJWT jwt)
            throws InvalidAppTokenException, KeysUnavailableException {
        final JWSHeader header = jwt.getHeader();
        final JWSAlgorithm algorithm = header.getAlgorithm();
        final boolean valid;
        try {
            if (SHARED_SECRET_ALGORITHM.equals(algorithm)) {
                valid = jwt.verify(secretVerifier);
            } else if (publicKeys != null && PUBLIC_KEY_ALGORITHMS.contains(algorithm)) {
                valid = verifyWithPublicKeys(jwt, publicKeys.selectJWSKeys(header, null));
            } else {
                throw new InvalidAppTokenException("app token algorithm " + algorithm + " is not accepted; "
                        + "accepted are " + acceptedAlgorithms());
            }
        } catch (final RateLimitReachedException e) {
            // The key set was fetched a moment ago and holds no key for this token; a refetch is not due yet.
            throw new InvalidAppTokenException("no public key matches the app token (alg " + algorithm + ", kid "
                    + header.getKeyID() + ")");
        } catch (final KeySourceException e) {
            throw new KeysUnavailableException("public keys for app tokens unavailable: " + e.getMessage());
        } catch (final JOSEException e) {
            throw new InvalidAppTokenException("app token cannot be verified: " + e.getMessage());
        }
        if (!valid) {
            throw new InvalidAppTokenException("app token signature is invalid");
        }
    }

    private boolean verifyWithPublicKeys(final @NotNull SignedJWT jwt, final @NotNull List<? extends Key> keys)
            throws JOSEException, InvalidAppTokenException {
        if (keys.isEmpty()) {
            throw new InvalidAppTokenException("no public key matches the app token (alg " + jwt.getHeader()
                    .getAlgorithm() + ", kid " + jwt.getHeader().getKeyID() + ")");
        }
        for (final Key key : keys) {
            final JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), key);
            if (jwt.verify(verifier)) {
                return true;
            }
        }
        return false;
    }

    private @NotNull String acceptedAlgorithms() {
        return publicKeys == null ? SHARED_SECRET_ALGORITHM.getName() : "HS256, RS256, ES256";
    }

    private static @NotNull JWTClaimsSet claimsOf(final @NotNull SignedJWT jwt) throws InvalidAppTokenException {
        try {
            return jwt.getJWTClaimsSet();
        } catch (final ParseException e) {
            throw new InvalidAppTokenException("app token claims are malformed");
        }
    }

    private @NotNull String checkClaims(final @NotNull JWTClaimsSet claims) throws InvalidAppTokenException {
        final Instant now = clock.instant();
        final Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw new InvalidAppTokenException("app token has no exp claim");
        }
        if (!expires.toInstant().plus(clockSkew).isAfter(now)) {
            throw new InvalidAppTokenException("app token expired");
        }
        final Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().minus(clockSkew).isAfter(now)) {
            throw new InvalidAppTokenException("app token is not valid yet (nbf)");
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw new InvalidAppTokenException("app token issuer is not accepted");
        }
        if (audience != null && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
            throw new InvalidAppTokenException("app token audience is not accepted");
        }
        final String owner = claims.getSubject();
        if (!Identifiers.isOwnerId(owner)) {
            throw new InvalidAppTokenException("app token sub is not a valid owner id");
        }
        return owner;
    }
}
