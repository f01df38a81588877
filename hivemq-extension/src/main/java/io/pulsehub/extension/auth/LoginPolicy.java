package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.DeviceRecord;
import io.pulsehub.contract.DeviceTokens;
import io.pulsehub.contract.Identifiers;
import io.pulsehub.contract.ServiceIdentity;

import java.security.MessageDigest;
import java.util.Optional;

import static com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD;
import static com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
import static com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode.NOT_AUTHORIZED;
import static com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode.SERVER_UNAVAILABLE;

/**
 * Decides who a CONNECT is: the bridge (its user name), an app (a JWT as password) or a device (everything else).
 * Every path ends in an explicit accept or refuse. Unknown device and wrong token give the same answer, so the
 * hub never reveals which device ids exist. Blocking (registry lookups): run it off HiveMQ's threads.
 */
final class LoginPolicy {

    static final String SERVICE_NAME = "bridge";
    static final String BAD_CREDENTIALS = "bad user name or password";
    static final String RESERVED_CLIENT_ID = "client ids starting with '"
            + ServiceIdentity.RESERVED_CLIENT_ID_PREFIX + "' are reserved for the hub's services";
    static final String KEYS_UNAVAILABLE = "hub cannot check app tokens right now; retry later";

    private final @NotNull DeviceLookup devices;
    private final @NotNull AppTokenVerifier appTokens;
    private final byte @NotNull [] serviceTokenSha256;

    LoginPolicy(final @NotNull DeviceLookup devices, final @NotNull AppTokenVerifier appTokens,
                final byte @NotNull [] serviceTokenSha256) {
        this.devices = devices;
        this.appTokens = appTokens;
        this.serviceTokenSha256 = serviceTokenSha256.clone();
    }

    /**
     * Whether {@link #decide} may block (registry lookups, fetching public keys), which decides whether the caller
     * must go async.
     */
    static boolean needsRegistry(final @NotNull Login login) {
        return !ServiceIdentity.BRIDGE_USERNAME.equals(login.username()) && login.password() != null
                && !isReserved(login.clientId());
    }

    @NotNull LoginDecision decide(final @NotNull Login login) throws RegistryUnavailableException {
        if (ServiceIdentity.BRIDGE_USERNAME.equals(login.username())) {
            return service(login);
        }
        // The bridge's session (service:bridge:...) must not be taken over by anyone who picks its client id.
        if (isReserved(login.clientId())) {
            return LoginDecision.refuse(CLIENT_IDENTIFIER_NOT_VALID, RESERVED_CLIENT_ID,
                    "non-service login with a reserved client id");
        }
        if (login.password() != null && AppTokenVerifier.looksLikeJwt(login.password())) {
            return app(login, login.password());
        }
        return device(login);
    }

    private static boolean isReserved(final @NotNull String clientId) {
        return clientId.startsWith(ServiceIdentity.RESERVED_CLIENT_ID_PREFIX);
    }

    private @NotNull LoginDecision service(final @NotNull Login login) {
        if (login.password() != null
                && MessageDigest.isEqual(DeviceTokens.sha256(login.password()), serviceTokenSha256)) {
            return LoginDecision.accept(Identity.service(SERVICE_NAME));
        }
        return LoginDecision.refuse(BAD_USER_NAME_OR_PASSWORD, BAD_CREDENTIALS, "wrong service token");
    }

    private @NotNull LoginDecision app(final @NotNull Login login, final @NotNull String token)
            throws RegistryUnavailableException {
        final String owner;
        try {
            owner = appTokens.ownerOf(token);
        } catch (final InvalidAppTokenException e) {
            // The reason is only about a token the client already holds, and tells an app developer what to fix.
            return LoginDecision.refuse(BAD_USER_NAME_OR_PASSWORD, e.getMessage(), e.getMessage());
        } catch (final AppTokenVerifier.KeysUnavailableException e) {
            return LoginDecision.refuse(SERVER_UNAVAILABLE, KEYS_UNAVAILABLE, e.getMessage());
        }
        // A client id names a session; an app using a device's id would take over (and disconnect) the device.
        if (Identifiers.isDeviceId(login.clientId()) && devices.find(login.clientId()).isPresent()) {
            return LoginDecision.refuse(CLIENT_IDENTIFIER_NOT_VALID, "client id is reserved for a device",
                    "app of owner '" + owner + "' used the client id of a registered device");
        }
        return LoginDecision.accept(Identity.app(owner));
    }

    private @NotNull LoginDecision device(final @NotNull Login login) throws RegistryUnavailableException {
        final String password = login.password();
        if (password == null || password.isEmpty() || login.username() == null) {
            return LoginDecision.refuse(BAD_USER_NAME_OR_PASSWORD, BAD_CREDENTIALS,
                    "device login without user name or password");
        }
        if (!login.clientId().equals(login.username())) {
            return LoginDecision.refuse(CLIENT_IDENTIFIER_NOT_VALID, "client id must equal the device id",
                    "client id differs from user name");
        }
        if (!Identifiers.isDeviceId(login.clientId())) {
            return LoginDecision.refuse(CLIENT_IDENTIFIER_NOT_VALID, "client id is not a valid device id",
                    Identifiers.deviceIdProblem(login.clientId()));
        }
        final Optional<DeviceRecord> device = devices.find(login.clientId());
        // Hash even for unknown devices, so the answer takes as long as for a wrong token.
        final byte[] presented = DeviceTokens.sha256(password);
        if (device.isEmpty()) {
            return LoginDecision.refuse(BAD_USER_NAME_OR_PASSWORD, BAD_CREDENTIALS, "unknown device");
        }
        final DeviceRecord record = device.get();
        if (!MessageDigest.isEqual(presented, record.tokenSha256())) {
            return LoginDecision.refuse(BAD_USER_NAME_OR_PASSWORD, BAD_CREDENTIALS, "wrong device token");
        }
        if (!record.enabled()) {
            return LoginDecision.refuse(NOT_AUTHORIZED, "device is disabled", "device is disabled");
        }
        if (login.hasWill()) {
            // A will on the telemetry topic would reach subscribers without being validated or stored, and a
            // device may publish nowhere else.
            return LoginDecision.refuse(NOT_AUTHORIZED, "devices may not set a will message",
                    "device sent a will message");
        }
        return record.acceptsToken(password)
                ? LoginDecision.acceptDevice(Identity.device(record.id()), record.tokenSha256())
                : LoginDecision.refuse(BAD_USER_NAME_OR_PASSWORD, BAD_CREDENTIALS, "device token not accepted");
    }
}
