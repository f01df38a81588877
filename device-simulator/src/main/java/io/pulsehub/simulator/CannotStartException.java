package io.pulsehub.simulator;

/**
 * Why a command could not do its job at all (hub unreachable, credentials refused, unreadable file): reported as one
 * line on stderr with exit code {@value Simulator#EXIT_CANNOT_START}, never as a stack trace.
 */
public final class CannotStartException extends RuntimeException {

    public CannotStartException(final String message) {
        super(message);
    }

    public CannotStartException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
