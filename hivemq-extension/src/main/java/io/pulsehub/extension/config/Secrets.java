package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;

/**
 * Secrets taken from the environment. The service token is kept only as its SHA-256; the JWT secret has to stay
 * usable as the HMAC key. Neither ever appears in {@link #toString()}.
 */
public final class Secrets {

    private final byte[] jwtSecret;
    private final byte[] serviceTokenSha256;

    public Secrets(final byte @NotNull [] jwtSecret, final byte @NotNull [] serviceTokenSha256) {
        this.jwtSecret = jwtSecret.clone();
        this.serviceTokenSha256 = serviceTokenSha256.clone();
    }

    /** The HS256 key for app tokens. */
    public byte @NotNull [] jwtSecret() {
        return jwtSecret.clone();
    }

    public byte @NotNull [] serviceTokenSha256() {
        return serviceTokenSha256.clone();
    }

    @Override
    public @NotNull String toString() {
        return "Secrets[jwtSecret=<" + jwtSecret.length + " bytes>, serviceToken=<sha256>]";
    }
}
