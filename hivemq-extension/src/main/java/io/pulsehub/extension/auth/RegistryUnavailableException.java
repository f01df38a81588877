package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;

/** The device registry could not be asked (Redis down, timed out or overloaded); the caller must fail closed. */
public final class RegistryUnavailableException extends Exception {

    public RegistryUnavailableException(final @NotNull String message, final @NotNull Throwable cause) {
        super(message, cause);
    }
}
