package io.pulsehub.bridge.aggregate;

public class AggregatePublishException extends Exception {

    public AggregatePublishException(final String message) {
        super(message);
    }

    public AggregatePublishException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
