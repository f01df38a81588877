package io.pulsehub.extension.session;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import io.pulsehub.extension.LogSafe;
import io.pulsehub.extension.auth.Identities;
import io.pulsehub.extension.auth.Identity;
import io.pulsehub.extension.auth.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Follows device connections: records the current one in {@link ConnectedDevices} and publishes the device's
 * presence when it logs in and when its current connection ends, however it ends (DISCONNECT, lost connection,
 * kicked by the hub). Apps and the bridge have no presence. Never throws into HiveMQ.
 */
final class DeviceLifecycle implements ClientLifecycleEventListener {

    private static final Logger log = LoggerFactory.getLogger(DeviceLifecycle.class);

    private final @NotNull ConnectedDevices devices;
    private final @NotNull PresencePublisher presence;

    DeviceLifecycle(final @NotNull ConnectedDevices devices, final @NotNull PresencePublisher presence) {
        this.devices = devices;
        this.presence = presence;
    }

    @Override
    public void onMqttConnectionStart(final @NotNull ConnectionStartInput input) {
    }

    @Override
    public void onAuthenticationSuccessful(final @NotNull AuthenticationSuccessfulInput input) {
        try {
            final ConnectionInformation connection = input.getConnectionInformation();
            final Optional<Identity> identity = Identities.of(connection);
            final Optional<String> connectionId = Identities.connectionIdOf(connection);
            final Optional<byte[]> credential = Identities.credentialOf(connection);
            if (identity.isEmpty() || identity.get().role() != Role.DEVICE || connectionId.isEmpty()
                    || credential.isEmpty()) {
                return;
            }
            final String deviceId = identity.get().subject();
            devices.connected(deviceId, new ConnectedDevices.Connection(connectionId.get(), credential.get()),
                    () -> presence.online(deviceId));
        } catch (final RuntimeException e) {
            log.warn("tracking the login of client '{}' failed: {}",
                    LogSafe.text(input.getClientInformation().getClientId()), e.toString());
            log.debug("lifecycle failure", e);
        }
    }

    @Override
    public void onDisconnect(final @NotNull DisconnectEventInput input) {
        try {
            final ConnectionInformation connection = input.getConnectionInformation();
            final Optional<Identity> identity = Identities.of(connection);
            final Optional<String> connectionId = Identities.connectionIdOf(connection);
            if (identity.isEmpty() || identity.get().role() != Role.DEVICE || connectionId.isEmpty()) {
                return;
            }
            final String deviceId = identity.get().subject();
            devices.disconnected(deviceId, connectionId.get(), () -> presence.offline(deviceId));
        } catch (final RuntimeException e) {
            log.warn("tracking the disconnect of client '{}' failed: {}",
                    LogSafe.text(input.getClientInformation().getClientId()), e.toString());
            log.debug("lifecycle failure", e);
        }
    }

    /** A refused login never became a device connection. */
    @Override
    public void onAuthenticationFailedDisconnect(final @NotNull AuthenticationFailedInput input) {
    }
}
