package io.pulsehub.extension.session;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.pulsehub.contract.DeviceRecord;
import io.pulsehub.contract.Identifiers;
import io.pulsehub.extension.LogSafe;
import io.pulsehub.extension.auth.DeviceLookup;
import io.pulsehub.extension.auth.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * Acts on a revocation: compares the connected device's login with the registry as it is now and disconnects the
 * device unless its connection still holds the current, enabled token. The comparison (rather than disconnecting on
 * every message) spares a device that already reconnected with its new token. A deleted device is also forgotten
 * without an offline presence, and {@link DeletedDeviceCleanup} removes what is left of it. Blocking (registry
 * lookup): runs on the executor given to {@link RevocationListener}.
 */
final class RevocationHandler {

    private static final Logger log = LoggerFactory.getLogger(RevocationHandler.class);
    static final String ROTATED = "device credentials were revoked";
    static final String DELETED = "device was deleted";

    private final @NotNull ConnectedDevices devices;
    private final @NotNull DeviceLookup registry;
    private final @NotNull ClientService clients;
    private final @NotNull DeletedDeviceCleanup cleanup;
    private final @NotNull SessionMetrics metrics;

    RevocationHandler(final @NotNull ConnectedDevices devices, final @NotNull DeviceLookup registry,
                      final @NotNull ClientService clients, final @NotNull DeletedDeviceCleanup cleanup,
                      final @NotNull SessionMetrics metrics) {
        this.devices = devices;
        this.registry = registry;
        this.clients = clients;
        this.cleanup = cleanup;
        this.metrics = metrics;
    }

    /** A message on the revocation channel. */
    void revoked(final @NotNull String deviceId) {
        if (!Identifiers.isDeviceId(deviceId)) {
            log.warn("ignoring a revocation of '{}': not a device id", LogSafe.text(deviceId));
            return;
        }
        log.debug("revocation of device '{}'", deviceId);
        check(deviceId);
    }

    /** After the subscription was lost, revocations may have been missed: every connected device is checked. */
    void recheckAll() {
        final var connected = devices.deviceIds();
        if (!connected.isEmpty()) {
            log.info("checking the credentials of {} connected devices for revocations missed while "
                    + "unsubscribed", connected.size());
        }
        connected.forEach(this::check);
    }

    private void check(final @NotNull String deviceId) {
        final Optional<DeviceRecord> record;
        try {
            record = registry.find(deviceId);
        } catch (final RegistryUnavailableException e) {
            // Fail closed: the device logs in again once the registry answers, and only if its token is still valid.
            if (devices.current(deviceId).isPresent()) {
                log.warn("disconnecting device '{}': its credentials cannot be checked after a revocation ({})",
                        deviceId, e.getMessage());
                disconnect(deviceId, ROTATED);
            }
            return;
        }
        if (record.isEmpty()) {
            devices.forget(deviceId, connection -> disconnect(deviceId, DELETED));
            cleanup.clean(deviceId);
            return;
        }
        final DeviceRecord current = record.get();
        devices.current(deviceId).ifPresent(connection -> {
            if (!current.enabled() || !MessageDigest.isEqual(current.tokenSha256(), connection.credentialSha256())) {
                disconnect(deviceId, ROTATED);
            }
        });
    }

    private void disconnect(final @NotNull String deviceId, final @NotNull String reason) {
        log.info("disconnecting device '{}': {}", deviceId, reason);
        metrics.revoked.inc();
        try {
            clients.disconnectClient(deviceId, true, DisconnectReasonCode.NOT_AUTHORIZED, reason)
                    .whenComplete((found, e) -> {
                        if (e != null) {
                            log.warn("disconnecting device '{}' failed: {}", deviceId, e.toString());
                        }
                    });
        } catch (final RuntimeException e) {
            log.warn("disconnecting device '{}' failed: {}", deviceId, e.toString());
        }
    }
}
