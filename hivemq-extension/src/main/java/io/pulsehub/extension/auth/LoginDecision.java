package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;

/**
 * The outcome of a login: an identity, or a CONNACK reason code with the reason string the client sees and the
 * (more specific) reason that only the log sees.
 *
 * @param credentialSha256 for a device, the registry's token hash the login matched: a revocation compares it with
 *                         the registry's current one to tell whether this connection still holds valid credentials
 */
record LoginDecision(@Nullable Identity identity, byte @Nullable [] credentialSha256,
                     @Nullable ConnackReasonCode code, @Nullable String clientReason, @Nullable String logReason) {

    static @NotNull LoginDecision accept(final @NotNull Identity identity) {
        return new LoginDecision(identity, null, null, null, null);
    }

    static @NotNull LoginDecision acceptDevice(final @NotNull Identity identity,
                                               final byte @NotNull [] credentialSha256) {
        return new LoginDecision(identity, credentialSha256.clone(), null, null, null);
    }

    static @NotNull LoginDecision refuse(final @NotNull ConnackReasonCode code, final @NotNull String clientReason,
                                         final @NotNull String logReason) {
        return new LoginDecision(null, null, code, clientReason, logReason);
    }

    boolean accepted() {
        return identity != null;
    }

    /**
     * Whether the refusal counts against the client id and address for throttling: everything the client caused,
     * not the hub's own trouble.
     */
    boolean isClientFailure() {
        return !accepted() && code != ConnackReasonCode.SERVER_UNAVAILABLE && code != ConnackReasonCode.SERVER_BUSY;
    }
}
