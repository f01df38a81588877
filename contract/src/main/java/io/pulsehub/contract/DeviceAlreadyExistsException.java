package io.pulsehub.contract;

public final class DeviceAlreadyExistsException extends RuntimeException {

    public DeviceAlreadyExistsException(final String deviceId) {
        super("device '" + deviceId + "' already exists");
    }
}
