package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a CONNECT presents, copied out of HiveMQ's packet so it can be checked on another thread.
 *
 * @param clientId the MQTT client identifier
 * @param username the user name, if any
 * @param password the password as UTF-8 text, if any
 * @param hasWill  whether the CONNECT carries a will message
 */
record Login(@NotNull String clientId, @Nullable String username, @Nullable String password, boolean hasWill) {

    static @NotNull Login of(final @NotNull ConnectPacket connect) {
        return new Login(connect.getClientId(), connect.getUserName().orElse(null),
                connect.getPassword().map(Login::utf8).orElse(null), connect.getWillPublish().isPresent());
    }

    private static @NotNull String utf8(final @NotNull ByteBuffer buffer) {
        final ByteBuffer copy = buffer.asReadOnlyBuffer();
        final byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public @NotNull String toString() {
        return "Login[clientId=" + clientId + ", username=" + username + ", password=<"
                + (password == null ? "none" : "hidden") + ">, hasWill=" + hasWill + "]";
    }
}
