package io.pulsehub.broker;

/** A reason the broker refuses to start, worded for the operator who has to fix it. */
final class BrokerStartupException extends RuntimeException {

    BrokerStartupException(final String message) {
        super(message);
    }

    BrokerStartupException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
