package io.pulsehub.extension;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** App tokens of every kind the tests need, honest and hostile, and a JWKS endpoint to serve their keys. */
public final class Jwts {

    /**
     * RSA key generation takes seconds on a small build machine, so the RSA keys are generated once and kept in
     * test-rsa-keys.json (test keys, never used anywhere else); EC keys are generated per JVM, per key id.
     */
    private static final Map<String, JWK> KEYS = new ConcurrentHashMap<>(storedRsaKeys());

    private Jwts() {
    }

    public static RSAKey rsa(final String keyId) {
        return (RSAKey) KEYS.computeIfAbsent("rsa:" + keyId, k -> generateRsa(keyId));
    }

    /** Another RSA key that claims the same key id as {@link #rsa}. */
    public static RSAKey impostor(final String keyId) {
        return (RSAKey) KEYS.computeIfAbsent("impostor:" + keyId, k -> generateRsa(keyId));
    }

    public static ECKey ec(final String keyId) {
        return (ECKey) KEYS.computeIfAbsent("ec:" + keyId, k -> {
            try {
                return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
            } catch (final JOSEException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Map<String, JWK> storedRsaKeys() {
        try (InputStream in = Jwts.class.getResourceAsStream("/test-rsa-keys.json")) {
            final Map<String, Object> stored = JSONObjectUtils.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            final Map<String, JWK> keys = new HashMap<>();
            for (final Map.Entry<String, Object> entry : stored.entrySet()) {
                @SuppressWarnings("unchecked") final Map<String, Object> json = (Map<String, Object>) entry.getValue();
                keys.put(entry.getKey(), JWK.parse(json));
            }
            return keys;
        } catch (final IOException | java.text.ParseException e) {
            throw new IllegalStateException("test-rsa-keys.json is unreadable", e);
        }
    }

    private static RSAKey generateRsa(final String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (final JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sub}, {@code iat} now and {@code exp} after {@code validity} (negative: already expired). */
    public static JWTClaimsSet.Builder claims(final String owner, final Duration validity) {
        final Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(owner).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validity)));
    }

    public static String rs256(final RSAKey key, final JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.RS256, key.getKeyID(), new RSASSASigner(key), claims);
        } catch (final JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String es256(final ECKey key, final JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.ES256, key.getKeyID(), new ECDSASigner(key), claims);
        } catch (final JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hs256(final byte[] secret, final JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.HS256, null, new MACSigner(secret), claims);
        } catch (final JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hs256(final String secret, final JWTClaimsSet claims) {
        return hs256(secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    /** {@code alg: none}: claims without a signature. */
    public static String unsigned(final JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /**
     * Algorithm confusion: HS256 with the RSA public key as HMAC secret, as a verifier that takes "the key" for
     * whatever algorithm the token names would check it. Both the DER bytes and the JWK's kid are offered.
     */
    public static String confused(final RSAKey key, final JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.HS256, key.getKeyID(), new MACSigner(key.toRSAPublicKey().getEncoded()), claims);
        } catch (final JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(final JWSAlgorithm algorithm, final String keyId, final JWSSigner signer,
                               final JWTClaimsSet claims) throws JOSEException {
        final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** The public half of the keys, as a JWKS document. */
    public static String publicJwks(final JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** Serves a JWKS document on a loopback port and counts the requests. */
    public static final class JwksServer implements AutoCloseable {

        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();
        private volatile String document;

        public JwksServer(final String document) {
            this.document = document;
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/jwks.json", exchange -> {
                requests.incrementAndGet();
                final byte[] body = this.document.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        }

        public int requests() {
            return requests.get();
        }

        public void serve(final String newDocument) {
            document = newDocument;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
