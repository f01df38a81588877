package io.pulsehub.bridge.command;

public class CommandPublishException extends Exception {

    private final boolean unavailable;

    public CommandPublishException(final String message, final boolean unavailable, final Throwable cause) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** True when the broker could not be reached (worth retrying later); false when the broker refused it. */
    public boolean unavailable() {
        return unavailable;
    }
}
