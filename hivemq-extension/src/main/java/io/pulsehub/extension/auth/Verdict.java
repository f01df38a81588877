package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;

/**
 * The answer of {@link TopicPermissions}: allowed, denied with a reason for the client, or allowed only if the
 * client's owner owns {@link #deviceId()}, which needs the device registry.
 */
public record Verdict(@NotNull Kind kind, @Nullable String deviceId, @Nullable String reason) {

    public enum Kind { ALLOW, DENY, IF_OWNER }

    private static final Verdict ALLOW = new Verdict(Kind.ALLOW, null, null);

    static @NotNull Verdict allow() {
        return ALLOW;
    }

    static @NotNull Verdict deny(final @NotNull String reason) {
        return new Verdict(Kind.DENY, null, reason);
    }

    static @NotNull Verdict ifOwnerOf(final @NotNull String deviceId) {
        return new Verdict(Kind.IF_OWNER, deviceId, null);
    }
}
