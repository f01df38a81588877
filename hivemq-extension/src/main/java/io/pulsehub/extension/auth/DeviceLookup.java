package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.DeviceRecord;
import io.pulsehub.contract.DeviceRegistry;
import redis.clients.jedis.exceptions.JedisException;

import java.util.Optional;

/** Reads devices from the registry. Blocking: never call it on a HiveMQ thread. */
@FunctionalInterface
public interface DeviceLookup {

    /**
     * @return the device, or empty when no such device is provisioned
     * @throws RegistryUnavailableException when the registry cannot answer right now
     */
    @NotNull Optional<DeviceRecord> find(@NotNull String deviceId) throws RegistryUnavailableException;

    static @NotNull DeviceLookup of(final @NotNull DeviceRegistry registry) {
        return deviceId -> {
            try {
                return registry.find(deviceId);
            } catch (final JedisException e) {
                throw new RegistryUnavailableException("device registry unavailable: " + e.getMessage(), e);
            }
        };
    }
}
