package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
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

    /** Each role's prefix in the encoded form, e.g. {@code device:}; decoding runs for every publish. */
    private static final Map<Role, String> PREFIXES = prefixes();

    private static Map<Role, String> prefixes() {
        final Map<Role, String> prefixes = new EnumMap<>(Role.class);
        for (final Role role : Role.values()) {
            prefixes.put(role, role.name().toLowerCase(Locale.ROOT) + ":");
        }
        return prefixes;
    }

    /** {@code role:subject}; the role never contains ':', so the first ':' separates them. */
    @NotNull String encode() {
        return PREFIXES.get(role) + subject;
    }

    static @NotNull Optional<Identity> decode(final @NotNull String encoded) {
        for (final Map.Entry<Role, String> prefix : PREFIXES.entrySet()) {
            if (encoded.startsWith(prefix.getValue()) && encoded.length() > prefix.getValue().length()) {
                return Optional.of(new Identity(prefix.getKey(), encoded.substring(prefix.getValue().length())));
            }
        }
        return Optional.empty();
    }
}
