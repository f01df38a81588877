package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.DeviceRecord;

/** Whether an owner owns a device, by the registry. Blocking. */
final class Ownership {

    private final @NotNull DeviceLookup devices;

    Ownership(final @NotNull DeviceLookup devices) {
        this.devices = devices;
    }

    boolean owns(final @NotNull String owner, final @NotNull String deviceId) throws RegistryUnavailableException {
        return devices.find(deviceId).map(DeviceRecord::owner).filter(owner::equals).isPresent();
    }

    /** The same words for a device of another owner and a device that does not exist. */
    static @NotNull String notYours(final @NotNull String deviceId) {
        return "not authorized for device '" + deviceId + "'";
    }
}
