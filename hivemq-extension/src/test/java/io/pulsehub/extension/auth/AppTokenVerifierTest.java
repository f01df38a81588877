package io.pulsehub.extension.auth;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import io.pulsehub.extension.Jwts;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppTokenVerifierTest {

    private static final String SECRET = "app-token-verifier-test-secret-0123456789";
    private static final RSAKey RSA = Jwts.rsa("rsa-1");
    private static final ECKey EC = Jwts.ec("ec-1");
    private static final RSAKey UNKNOWN_RSA = Jwts.impostor("rsa-1");

    private final AppTokenVerifier verifier = verifier(null, null, Duration.ZERO);

    private static AppTokenVerifier verifier(final String issuer, final String audience, final Duration skew) {
        return new AppTokenVerifier(SECRET.getBytes(StandardCharsets.UTF_8),
                new ImmutableJWKSet<SecurityContext>(new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK()))),
                issuer, audience, skew, Clock.systemUTC());
    }

    private static JWTClaimsSet valid(final String owner) {
        return Jwts.claims(owner, Duration.ofMinutes(5)).build();
    }

    private void assertRefused(final String token, final String reason) {
        assertThatThrownBy(() -> verifier.ownerOf(token)).isInstanceOf(InvalidAppTokenException.class)
                .hasMessage(reason);
    }

    @Test
    void rs256Es256AndHs256TokensAreAccepted() throws Exception {
        assertThat(verifier.ownerOf(Jwts.rs256(RSA, valid("alice")))).isEqualTo("alice");
        assertThat(verifier.ownerOf(Jwts.es256(EC, valid("bob")))).isEqualTo("bob");
        assertThat(verifier.ownerOf(Jwts.hs256(SECRET, valid("carol")))).isEqualTo("carol");
    }

    @Test
    void unsignedTokenIsRefused() {
        assertRefused(Jwts.unsigned(valid("alice")), "unsigned app tokens (alg none) are not accepted");
    }

    @Test
    void hs256TokenSignedWithThePublicKeyIsRefused() {
        assertRefused(Jwts.confused(RSA, valid("alice")), "app token signature is invalid");
    }

    @Test
    void tokenOfAKeyOutsideTheSetIsRefused() {
        assertRefused(Jwts.rs256(UNKNOWN_RSA, valid("alice")), "app token signature is invalid");
        assertRefused(Jwts.es256(Jwts.ec("ec-other"), valid("alice")),
                "no public key matches the app token (alg ES256, kid ec-other)");
    }

    @Test
    void asymmetricTokensNeedConfiguredKeys() {
        final AppTokenVerifier hsOnly = new AppTokenVerifier(SECRET.getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC());

        assertThatThrownBy(() -> hsOnly.ownerOf(Jwts.rs256(RSA, valid("alice"))))
                .isInstanceOf(InvalidAppTokenException.class)
                .hasMessage("app token algorithm RS256 is not accepted; accepted are HS256");
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() {
        assertRefused(Jwts.rs256(RSA, Jwts.claims("alice", Duration.ofSeconds(-1)).build()), "app token expired");
        assertRefused(Jwts.es256(EC, Jwts.claims("alice", Duration.ofMinutes(5))
                        .notBeforeTime(Date.from(Instant.now().plusSeconds(60))).build()),
                "app token is not valid yet (nbf)");
    }

    @Test
    void clockSkewIsToleratedOnBothEnds() throws Exception {
        final AppTokenVerifier lenient = verifier(null, null, Duration.ofSeconds(30));

        assertThat(lenient.ownerOf(Jwts.rs256(RSA, Jwts.claims("alice", Duration.ofSeconds(-10)).build())))
                .isEqualTo("alice");
        assertThat(lenient.ownerOf(Jwts.rs256(RSA, Jwts.claims("alice", Duration.ofMinutes(5))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(10))).build()))).isEqualTo("alice");
        assertThatThrownBy(() -> lenient.ownerOf(Jwts.rs256(RSA,
                Jwts.claims("alice", Duration.ofSeconds(-40)).build()))).hasMessage("app token expired");
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        final AppTokenVerifier strict = verifier("https://login.example", "pulsehub", Duration.ZERO);
        final JWTClaimsSet right = Jwts.claims("alice", Duration.ofMinutes(5)).issuer("https://login.example")
                .audience(List.of("other", "pulsehub")).build();

        assertThat(strict.ownerOf(Jwts.rs256(RSA, right))).isEqualTo("alice");
        assertThatThrownBy(() -> strict.ownerOf(Jwts.rs256(RSA, new JWTClaimsSet.Builder(right)
                .issuer("https://evil.example").build()))).hasMessage("app token issuer is not accepted");
        assertThatThrownBy(() -> strict.ownerOf(Jwts.rs256(RSA, new JWTClaimsSet.Builder(right)
                .issuer(null).build()))).hasMessage("app token issuer is not accepted");
        assertThatThrownBy(() -> strict.ownerOf(Jwts.rs256(RSA, new JWTClaimsSet.Builder(right)
                .audience("other").build()))).hasMessage("app token audience is not accepted");
        assertThatThrownBy(() -> strict.ownerOf(Jwts.hs256(SECRET, valid("alice"))))
                .hasMessage("app token issuer is not accepted");
    }

    @Test
    void tokenWithoutExpiryOrWithAnInvalidOwnerIsRefused() {
        assertRefused(Jwts.rs256(RSA, new JWTClaimsSet.Builder().subject("alice").build()),
                "app token has no exp claim");
        assertRefused(Jwts.rs256(RSA, valid("alice/#")), "app token sub is not a valid owner id");
        assertRefused(Jwts.rs256(RSA, Jwts.claims(null, Duration.ofMinutes(5)).build()),
                "app token sub is not a valid owner id");
    }

    @Test
    void garbageIsRefused() {
        assertRefused("a.b.c", "app token is not a JWT");
        assertRefused("....", "app token is not a JWT");
    }

    @Test
    void keysAreFetchedFromAJwksUrl() throws Exception {
        try (Jwts.JwksServer server = new Jwts.JwksServer(Jwts.publicJwks(RSA, EC))) {
            final AppTokenVerifier remote = new AppTokenVerifier(SECRET.getBytes(StandardCharsets.UTF_8),
                    HubSecurity.remoteKeys(URI.create(server.url())), null, null,
                    Duration.ZERO, Clock.systemUTC());

            assertThat(remote.ownerOf(Jwts.rs256(RSA, valid("alice")))).isEqualTo("alice");
            assertThat(remote.ownerOf(Jwts.es256(EC, valid("bob")))).isEqualTo("bob");
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    void unreachableJwksUrlIsTheHubsProblemNotTheClients() throws Exception {
        final String url;
        try (Jwts.JwksServer server = new Jwts.JwksServer(Jwts.publicJwks(RSA))) {
            url = server.url();
        }
        final AppTokenVerifier remote = new AppTokenVerifier(SECRET.getBytes(StandardCharsets.UTF_8),
                HubSecurity.remoteKeys(URI.create(url)), null, null, Duration.ZERO,
                Clock.systemUTC());

        assertThatThrownBy(() -> remote.ownerOf(Jwts.rs256(RSA, valid("alice"))))
                .isInstanceOf(AppTokenVerifier.KeysUnavailableException.class);
    }
}
