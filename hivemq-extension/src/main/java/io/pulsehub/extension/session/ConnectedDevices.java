package io.pulsehub.extension.session;

import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The devices connected to this broker node, one current connection each: the connection that logged in last. A
 * device that reconnects takes over its client id, and the old connection's disconnect arrives afterwards or
 * before; only the current connection may end the device's presence, so the retained presence never says offline
 * while the device is connected. Thread-safe.
 */
final class ConnectedDevices {

    /**
     * @param connectionId     the id the authenticator gave the connection
     * @param credentialSha256 the registry's token hash at the time of the login
     */
    record Connection(@NotNull String connectionId, byte @NotNull [] credentialSha256) {
    }

    private final @NotNull Map<String, Connection> byDevice = new ConcurrentHashMap<>();

    /** Makes {@code connection} the device's current one; {@code then} runs while no other change can interleave. */
    void connected(final @NotNull String deviceId, final @NotNull Connection connection,
                   final @NotNull Runnable then) {
        byDevice.compute(deviceId, (id, previous) -> {
            then.run();
            return connection;
        });
    }

    /**
     * Ends the device's connection if it is still the current one; {@code then} runs only in that case, while no
     * other change can interleave.
     */
    void disconnected(final @NotNull String deviceId, final @NotNull String connectionId,
                      final @NotNull Runnable then) {
        byDevice.computeIfPresent(deviceId, (id, current) -> {
            if (!current.connectionId().equals(connectionId)) {
                return current;
            }
            then.run();
            return null;
        });
    }

    /** Forgets the device without ending its presence: it is being deleted, and nothing about it may remain. */
    void forget(final @NotNull String deviceId, final @NotNull Consumer<Connection> then) {
        byDevice.computeIfPresent(deviceId, (id, current) -> {
            then.accept(current);
            return null;
        });
    }

    @NotNull Optional<Connection> current(final @NotNull String deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }

    @NotNull List<String> deviceIds() {
        return List.copyOf(byDevice.keySet());
    }

    int count() {
        return byDevice.size();
    }
}
