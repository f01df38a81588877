package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.nimbusds.jose.jwk.JWKSet;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How app tokens are checked besides HS256 with {@code HUB_JWT_SECRET}: RS256/ES256 public keys from a JWKS file
 * (loaded and checked at startup) or a JWKS URL (fetched and cached by nimbus), and the claims to insist on.
 *
 * @param jwksFile  where {@link #jwks()} came from, or {@code null}
 * @param jwks      the public keys of the JWKS file, or {@code null} when no file is configured
 * @param jwksUrl   the JWKS URL, or {@code null}; at most one of file and URL is set
 * @param issuer    the required {@code iss}, or {@code null} to accept any
 * @param audience  a value {@code aud} must contain, or {@code null} to accept any
 * @param clockSkew tolerance for {@code exp} and {@code nbf} between the token issuer's clock and the hub's
 */
public record JwtSettings(@Nullable Path jwksFile, @Nullable JWKSet jwks, @Nullable URI jwksUrl,
                          @Nullable String issuer, @Nullable String audience, @NotNull Duration clockSkew) {

    public static final int DEFAULT_CLOCK_SKEW_S = 5;

    /** Whether asymmetric (RS256/ES256) tokens can be verified at all. */
    public boolean hasPublicKeys() {
        return jwks != null || jwksUrl != null;
    }

    @Override
    public @NotNull String toString() {
        return "JwtSettings[jwksFile=" + jwksFile + (jwks == null ? "" : " (" + jwks.getKeys().size() + " keys)")
                + ", jwksUrl=" + jwksUrl + ", issuer=" + issuer + ", audience=" + audience + ", clockSkew="
                + clockSkew + "]";
    }
}
