package io.pulsehub.contract;

/** A telemetry payload the hub refuses; the message is the reason given to the device. */
public final class InvalidTelemetryException extends Exception {

    public InvalidTelemetryException(final String reason) {
        super(reason, null, false, false);
    }
}
