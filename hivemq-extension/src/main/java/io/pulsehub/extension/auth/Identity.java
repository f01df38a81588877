package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.util.Locale;
import java.util.Optional;

/**
 * The authenticated identity of a connection, established once at CONNECT and read by every later check.
 *
 * @param role    what kind of client it is
 * @param subject the device id, the owner id or the service name
 */
public record Identity(@NotNull Role role, @NotNull String subject) {

    public static @NotNull Identity device(final @NotNull String deviceId) {
        return new Identity(Role.DEVICE, deviceId);
    }

    public static @NotNull Identity app(final @NotNull String owner) {
        return new Identity(Role.APP, owner);
    }

    public static @NotNull Identity service(final @NotNull String name) {
        return new Identity(Role.SERVICE, name);
    }

    /** {@code role:subject}; the role never contains ':', so the first ':' separates them. */
    @NotNull String encode() {
        return role.name().toLowerCase(Locale.ROOT) + ":" + subject;
    }

    static @NotNull Optional<Identity> decode(final @NotNull String encoded) {
        final int colon = encoded.indexOf(':');
        if (colon <= 0 || colon == encoded.length() - 1) {
            return Optional.empty();
        }
        for (final Role role : Role.values()) {
            if (role.name().toLowerCase(Locale.ROOT).equals(encoded.substring(0, colon))) {
                return Optional.of(new Identity(role, encoded.substring(colon + 1)));
            }
        }
        return Optional.empty();
    }
}
