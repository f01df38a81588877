package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.pulsehub.contract.AppTokens;
import io.pulsehub.contract.DeviceRecord;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.contract.ServiceIdentity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginPolicyTest {

    private static final String SECRET = "login-policy-test-secret-0123456789abcdef";
    private static final String SERVICE_TOKEN = "service-token-for-tests";
    private static final String TOKEN = DeviceTokens.generate();

    private final Map<String, DeviceRecord> registry = new HashMap<>();
    private boolean registryDown;
    private final LoginPolicy policy = new LoginPolicy(this::find,
            new AppTokenVerifier(SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC()),
            DeviceTokens.sha256(SERVICE_TOKEN));

    LoginPolicyTest() {
        registry.put("d1", new DeviceRecord("d1", "alice", DeviceTokens.sha256(TOKEN), true, 0));
        registry.put("off", new DeviceRecord("off", "alice", DeviceTokens.sha256(TOKEN), false, 0));
    }

    private Optional<DeviceRecord> find(final String id) throws RegistryUnavailableException {
        if (registryDown) {
            throw new RegistryUnavailableException("down", new IllegalStateException("down"));
        }
        return Optional.ofNullable(registry.get(id));
    }

    private static Login device(final String clientId, final String username, final String password) {
        return new Login(clientId, username, password, false);
    }

    private static void assertRefused(final LoginDecision decision, final ConnackReasonCode code) {
        assertThat(decision.accepted()).isFalse();
        assertThat(decision.identity()).isNull();
        assertThat(decision.code()).isEqualTo(code);
        assertThat(decision.clientReason()).isNotBlank();
        assertThat(decision.logReason()).isNotBlank();
    }

    @Test
    void deviceWithItsTokenIsADevice() throws Exception {
        final LoginDecision decision = policy.decide(device("d1", "d1", TOKEN));

        assertThat(decision.identity()).isEqualTo(Identity.device("d1"));
    }

    @Test
    void unknownDeviceAndWrongTokenGetTheSameAnswer() throws Exception {
        final LoginDecision unknown = policy.decide(device("d9", "d9", TOKEN));
        final LoginDecision wrong = policy.decide(device("d1", "d1", DeviceTokens.generate()));

        assertRefused(unknown, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertRefused(wrong, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(unknown.clientReason()).isEqualTo(wrong.clientReason());
        assertThat(unknown.logReason()).isNotEqualTo(wrong.logReason());
    }

    @Test
    void disabledDeviceIsNotAuthorizedButOnlyWithTheRightToken() throws Exception {
        assertRefused(policy.decide(device("off", "off", TOKEN)), ConnackReasonCode.NOT_AUTHORIZED);
        assertRefused(policy.decide(device("off", "off", "guess")), ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void clientIdMustEqualTheDeviceId() throws Exception {
        assertRefused(policy.decide(device("someone-else", "d1", TOKEN)),
                ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    void clientIdMustBeAValidDeviceId() throws Exception {
        assertRefused(policy.decide(device("bad id", "bad id", TOKEN)), ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    void missingCredentialsAreRefused() throws Exception {
        assertRefused(policy.decide(device("d1", "d1", null)), ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertRefused(policy.decide(device("d1", "d1", "")), ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertRefused(policy.decide(device("d1", null, TOKEN)), ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(LoginPolicy.needsRegistry(device("d1", "d1", null))).isFalse();
    }

    @Test
    void deviceMayNotSetAWill() throws Exception {
        assertRefused(policy.decide(new Login("d1", "d1", TOKEN, true)), ConnackReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void registryOutageIsReportedNotDecided() {
        registryDown = true;

        assertThatThrownBy(() -> policy.decide(device("d1", "d1", TOKEN)))
                .isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void serviceLogsInWithItsToken() throws Exception {
        final Login login = new Login("pulsehub-bridge", ServiceIdentity.BRIDGE_USERNAME, SERVICE_TOKEN, false);

        assertThat(LoginPolicy.needsRegistry(login)).isFalse();
        assertThat(policy.decide(login).identity()).isEqualTo(Identity.service("bridge"));
    }

    @Test
    void serviceWithAWrongOrNoTokenIsRefused() throws Exception {
        assertRefused(policy.decide(new Login("b", ServiceIdentity.BRIDGE_USERNAME, "wrong-token", false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertRefused(policy.decide(new Login("b", ServiceIdentity.BRIDGE_USERNAME, null, false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        // A JWT does not make the service user name an app.
        assertRefused(policy.decide(new Login("b", ServiceIdentity.BRIDGE_USERNAME,
                AppTokens.mint(SECRET, "alice", Duration.ofMinutes(5)), false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void appWithAValidTokenIsAnAppOfItsOwner() throws Exception {
        final String jwt = AppTokens.mint(SECRET, "alice", Duration.ofMinutes(5));

        assertThat(policy.decide(new Login("phone-1", "anything", jwt, false)).identity())
                .isEqualTo(Identity.app("alice"));
        assertThat(policy.decide(new Login("phone-1", null, jwt, false)).identity())
                .isEqualTo(Identity.app("alice"));
    }

    @Test
    void appMayNotUseTheClientIdOfARegisteredDevice() throws Exception {
        final String jwt = AppTokens.mint(SECRET, "alice", Duration.ofMinutes(5));

        assertRefused(policy.decide(new Login("d1", "alice", jwt, false)),
                ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    void expiredAppTokenIsRefused() throws Exception {
        final String jwt = AppTokens.mint(SECRET, "alice", Duration.ofSeconds(-1));

        assertRefused(policy.decide(new Login("phone", "alice", jwt, false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void appTokenSignedWithAnotherSecretIsRefused() throws Exception {
        final String jwt = AppTokens.mint("another-secret-0123456789abcdef-xyz", "alice", Duration.ofMinutes(5));

        final LoginDecision decision = policy.decide(new Login("phone", "alice", jwt, false));

        assertRefused(decision, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(decision.logReason()).contains("signature");
    }

    @Test
    void unsignedAppTokenIsRefused() throws Exception {
        final Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        final String claims = "{\"sub\":\"alice\",\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}";
        final String none = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";

        assertRefused(policy.decide(new Login("phone", "alice", none, false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void appTokenWithAnotherAlgorithmIsRefusedEvenWhenSignedWithTheSecret() throws Exception {
        final String longSecret = SECRET + SECRET;
        final LoginPolicy policyWithLongSecret = new LoginPolicy(this::find,
                new AppTokenVerifier(longSecret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC()),
                DeviceTokens.sha256(SERVICE_TOKEN));
        final SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), new JWTClaimsSet.Builder()
                .subject("alice").expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        hs512.sign(new MACSigner(longSecret.getBytes(StandardCharsets.UTF_8)));

        final LoginDecision decision = policyWithLongSecret.decide(new Login("phone", "a", hs512.serialize(), false));

        assertRefused(decision, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(decision.logReason()).contains("HS512");
    }

    @Test
    void appTokenWithoutExpiryOrWithABadSubjectIsRefused() throws Exception {
        final SignedJWT noExp = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject("alice").build());
        noExp.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        final SignedJWT badSub = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("alice/../bob").expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        badSub.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        final SignedJWT notYet = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("alice").expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(300))).build());
        notYet.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

        assertRefused(policy.decide(new Login("p", "a", noExp.serialize(), false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertRefused(policy.decide(new Login("p", "a", badSub.serialize(), false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertRefused(policy.decide(new Login("p", "a", notYet.serialize(), false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void clientIdsOfTheServicesAreReservedForTheService() throws Exception {
        final String jwt = AppTokens.mint(SECRET, "alice", Duration.ofMinutes(5));

        final LoginDecision app = policy.decide(new Login(ServiceIdentity.bridgeClientId("e2e"), "alice", jwt, false));
        final LoginDecision device = policy.decide(device("service:x", "service:x", TOKEN));

        assertRefused(app, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertRefused(device, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(app.clientReason()).isEqualTo(
                "client ids starting with 'service:' are reserved for the hub's services");
        assertThat(LoginPolicy.needsRegistry(new Login("service:x", "alice", jwt, false))).isFalse();
        assertThat(policy.decide(new Login(ServiceIdentity.bridgeClientId("e2e"), ServiceIdentity.BRIDGE_USERNAME,
                SERVICE_TOKEN,
                false)).identity()).isEqualTo(Identity.service("bridge"));
    }

    @Test
    void deviceLoginCarriesTheRegistryTokenHashForLaterRevocationChecks() throws Exception {
        assertThat(policy.decide(device("d1", "d1", TOKEN)).credentialSha256())
                .isEqualTo(DeviceTokens.sha256(TOKEN));
        assertThat(policy.decide(new Login("phone", "alice", AppTokens.mint(SECRET, "alice", Duration.ofMinutes(5)),
                false)).credentialSha256()).isNull();
    }

    @Test
    void refusalsTheHubCausedDoNotCountAgainstTheClient() throws Exception {
        assertThat(policy.decide(device("d1", "d1", "wrong")).isClientFailure()).isTrue();
        assertThat(LoginDecision.refuse(ConnackReasonCode.SERVER_UNAVAILABLE, "x", "y").isClientFailure()).isFalse();
        assertThat(policy.decide(device("d1", "d1", TOKEN)).isClientFailure()).isFalse();
    }

    @Test
    void aLoginNeverPrintsItsPassword() {
        assertThat(device("d1", "d1", TOKEN).toString()).doesNotContain(TOKEN).contains("password=<hidden>");
    }

    @Test
    void garbageWithADotIsAnInvalidAppTokenNotADeviceToken() throws Exception {
        assertRefused(policy.decide(new Login("d1", "d1", "not.a.jwt", false)),
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }
}
