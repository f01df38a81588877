package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;

import java.util.Optional;

/**
 * The {@link Identity} of one connection, read from {@link Identities} once and then kept.
 * <p>
 * Reading the attribute store copies the attribute and decodes it; done for every publish by both the interceptor
 * and the authorizer, that was about 7 % of the broker's CPU at saturation (docs/benchmarks.md, item 15). An
 * instance must belong to exactly one connection: HiveMQ keeps per-client interceptors and authorizers per
 * connection, not per client id, so a client that takes over a client id gets instances of its own. The identity
 * is set at CONNECT and never changes afterwards, so once found it is kept; while there is none (a connection this
 * extension did not authenticate) every call reads the store again and the answer stays empty, so it is refused.
 */
public final class ConnectionIdentity {

    private volatile Identity known;

    public @NotNull Optional<Identity> of(final @NotNull ConnectionInformation connection) {
        final Identity cached = known;
        if (cached != null) {
            return Optional.of(cached);
        }
        final Optional<Identity> read = Identities.of(connection);
        read.ifPresent(identity -> known = identity);
        return read;
    }
}
