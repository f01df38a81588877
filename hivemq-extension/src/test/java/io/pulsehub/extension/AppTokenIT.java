package io.pulsehub.extension;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.ProvisionedDevice;
import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * App logins with RS256/ES256 tokens whose keys come from a JWKS URL, with issuer and audience configured, and one
 * refusal per way a token can be wrong. Every refusal is BAD_USER_NAME_OR_PASSWORD: the password is not valid.
 */
class AppTokenIT {

    private static final String ISSUER = "https://login.pulsehub.test/";
    private static final String AUDIENCE = "pulsehub-mqtt";
    /** MQTT 5 CONNACK reason code and MQTT 3.1.1 return code for a bad password. */
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int V3_BAD_USER_NAME_OR_PASSWORD = 4;

    private static final RSAKey RSA = Jwts.rsa("rsa-1");
    private static final ECKey EC = Jwts.ec("ec-1");

    private static Jwts.JwksServer jwks;
    private static EmbeddedHub hub;

    @BeforeAll
    static void startHub() {
        jwks = new Jwts.JwksServer(Jwts.publicJwks(RSA, EC));
        hub = EmbeddedHub.withEmbeddedExtension("""
                <jwks-url>%s</jwks-url>
                <jwt-issuer>%s</jwt-issuer>
                <jwt-audience>%s</jwt-audience>
                <login-free-failures-per-address>1000</login-free-failures-per-address>
                <login-block-after-failures-per-address>0</login-block-after-failures-per-address>"""
                .formatted(jwks.url(), ISSUER, AUDIENCE));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
        if (jwks != null) {
            jwks.close();
        }
    }

    /** A token that passes every check, to be spoilt one way at a time. */
    private static JWTClaimsSet.Builder valid(final String owner) {
        return Jwts.claims(owner, Duration.ofMinutes(5)).issuer(ISSUER).audience(AUDIENCE);
    }

    private static void assertLoginRefused(final String token) throws Exception {
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), Mqtt.appClientId(), "app", token))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), Mqtt.appClientId(), "app", token))
                .isEqualTo(V3_BAD_USER_NAME_OR_PASSWORD);
    }

    /** Logs in and proves the app is its owner's: it may subscribe to the owner's device and to no other. */
    private static void assertAppOf(final String owner, final String token) throws Exception {
        final ProvisionedDevice own = hub.provision("own", owner);
        final ProvisionedDevice foreign = hub.provision("foreign", "somebody-else");
        final MqttAsyncClient app = Mqtt.v5(hub.mqttUrl(), Mqtt.appClientId(), "app", token);
        try {
            assertThat(Mqtt.subscribe(app, Topics.telemetry(own.id())).code()).isEqualTo(1);
            assertThat(Mqtt.subscribe(app, Topics.telemetry(foreign.id())).code()).isEqualTo(0x87);
        } finally {
            Mqtt.disconnect(app);
        }
    }

    /**
     * The extension keeps each connection's identity with the connection: an app that takes over a client id has
     * its own owner's rights, for publishes and subscriptions alike, never those of the connection it replaced.
     */
    @Test
    void appTakingOverAClientIdHasOnlyItsOwnOwnersRights() throws Exception {
        final ProvisionedDevice alices = hub.provision("alices", "alice-t");
        final ProvisionedDevice bobs = hub.provision("bobs", "bob-t");
        final String clientId = Mqtt.appClientId();
        final MqttAsyncClient alice = Mqtt.v5(hub.mqttUrl(), clientId, "app",
                Jwts.hs256(EmbeddedHub.JWT_SECRET, valid("alice-t").build()));
        MqttAsyncClient bob = null;
        try {
            assertThat(Mqtt.subscribe(alice, Topics.telemetry(alices.id())).code()).isEqualTo(1);
            assertThat(Mqtt.publish(alice, Topics.command(alices.id(), "ping"), "{}").code()).isLessThan(0x80);

            bob = Mqtt.v5(hub.mqttUrl(), clientId, "app", Jwts.hs256(EmbeddedHub.JWT_SECRET, valid("bob-t").build()));
            await().atMost(Duration.ofSeconds(10)).until(() -> !alice.isConnected());

            assertThat(Mqtt.subscribe(bob, Topics.telemetry(alices.id())).code()).isEqualTo(0x87);
            assertThat(Mqtt.subscribe(bob, Topics.telemetry(bobs.id())).code()).isEqualTo(1);
            assertThat(Mqtt.publish(bob, Topics.command(bobs.id(), "ping"), "{}").code()).isLessThan(0x80);
            assertThat(Mqtt.publish(bob, Topics.command(alices.id(), "ping"), "{}").code()).isEqualTo(0x87);
        } finally {
            Mqtt.disconnect(alice);
            if (bob != null) {
                Mqtt.disconnect(bob);
            }
        }
    }

    @Test
    void rs256TokenWithKeysFromTheJwksUrlLogsInAsItsOwner() throws Exception {
        assertAppOf("rita", Jwts.rs256(RSA, valid("rita").build()));
        assertThat(jwks.requests()).isPositive();
    }

    @Test
    void es256TokenLogsInAsItsOwner() throws Exception {
        assertAppOf("emil", Jwts.es256(EC, valid("emil").build()));
    }

    @Test
    void hs256TokenWithTheSharedSecretStillWorksButMustAlsoCarryIssuerAndAudience() throws Exception {
        assertAppOf("hugo", Jwts.hs256(EmbeddedHub.JWT_SECRET, valid("hugo").build()));
        // Minted without iss and aud, as ./hub does when no issuer is configured.
        assertLoginRefused(AppTokens.mint(EmbeddedHub.JWT_SECRET, "hugo", Duration.ofMinutes(5)));
    }

    @Test
    void unsignedTokenIsRefused() throws Exception {
        assertLoginRefused(Jwts.unsigned(valid("mallory").build()));
    }

    @Test
    void hs256TokenSignedWithTheRsaPublicKeyIsRefused() throws Exception {
        assertLoginRefused(Jwts.confused(RSA, valid("mallory").build()));
    }

    @Test
    void tokenSignedWithAKeyOutsideTheJwksIsRefused() throws Exception {
        assertLoginRefused(Jwts.rs256(Jwts.impostor("rsa-1"), valid("mallory").build()));
        assertLoginRefused(Jwts.es256(Jwts.ec("ec-unknown"), valid("mallory").build()));
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        assertLoginRefused(Jwts.rs256(RSA, valid("rita")
                .expirationTime(Date.from(Instant.now().minusSeconds(60))).build()));
    }

    @Test
    void tokenNotValidYetIsRefused() throws Exception {
        assertLoginRefused(Jwts.rs256(RSA, valid("rita")
                .notBeforeTime(Date.from(Instant.now().plusSeconds(60))).build()));
    }

    @Test
    void tokenOfAnotherIssuerIsRefused() throws Exception {
        assertLoginRefused(Jwts.rs256(RSA, valid("rita").issuer("https://evil.test/").build()));
    }

    @Test
    void tokenForAnotherAudienceIsRefused() throws Exception {
        assertLoginRefused(Jwts.rs256(RSA, valid("rita").audience("another-service").build()));
    }

    @Test
    void tokenWithoutExpiryIsRefused() throws Exception {
        assertLoginRefused(Jwts.rs256(RSA, valid("rita").expirationTime(null).build()));
    }
}
