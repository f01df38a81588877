package io.pulsehub.contract;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints the HS256 app tokens the hub accepts as MQTT passwords ({@code sub} = owner id). Used by {@code ./hub} for
 * the demo token, by the simulator and by tests; verification lives in the extension.
 */
public final class AppTokens {

    public static final String JWT_SECRET_ENV = "HUB_JWT_SECRET";
    /** HS256 needs a key at least as long as its hash. */
    public static final int MIN_SECRET_BYTES = 32;

    private AppTokens() {
    }

    public static String mint(final String secret, final String owner, final Duration validity) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(JWT_SECRET_ENV + " must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (!Identifiers.isOwnerId(owner)) {
            throw new IllegalArgumentException(Identifiers.ownerIdProblem(owner));
        }
        final Instant now = Instant.now();
        final JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(owner)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validity)))
                .build();
        final SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (final JOSEException e) {
            throw new IllegalStateException("cannot sign app token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
