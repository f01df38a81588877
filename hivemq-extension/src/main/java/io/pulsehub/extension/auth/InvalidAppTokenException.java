package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;

/** An app token the hub does not accept; the message says why, for the log (never the token itself). */
final class InvalidAppTokenException extends Exception {

    InvalidAppTokenException(final @NotNull String reason) {
        super(reason, null, false, false);
    }
}
