package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;

/** The configuration cannot be used; the message names every problem found and is safe to log. */
public final class InvalidConfigException extends Exception {

    public InvalidConfigException(final @NotNull String message) {
        super(message, null, false, false);
    }
}
