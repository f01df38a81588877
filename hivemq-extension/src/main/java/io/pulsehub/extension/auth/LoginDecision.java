package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;

/**
 * The outcome of a login: an identity, or a CONNACK reason code with the reason string the client sees and the
 * (more specific) reason that only the log sees.
 */
record LoginDecision(@Nullable Identity identity, @Nullable ConnackReasonCode code, @Nullable String clientReason,
                     @Nullable String logReason) {

    static @NotNull LoginDecision accept(final @NotNull Identity identity) {
        return new LoginDecision(identity, null, null, null);
    }

    static @NotNull LoginDecision refuse(final @NotNull ConnackReasonCode code, final @NotNull String clientReason,
                                         final @NotNull String logReason) {
        return new LoginDecision(null, code, clientReason, logReason);
    }

    boolean accepted() {
        return identity != null;
    }
}
