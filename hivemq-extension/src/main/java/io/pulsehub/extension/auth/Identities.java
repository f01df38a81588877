package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;

import java.util.Optional;

/**
 * Keeps each connection's {@link Identity} in HiveMQ's connection attribute store. The store lives exactly as long
 * as the connection, so a client that takes over a client id never inherits, or removes, the identity of the
 * connection it replaced (a map keyed by client id and cleaned on disconnect would race with exactly that).
 */
public final class Identities {

    static final String ATTRIBUTE = "io.pulsehub.identity";

    private Identities() {
    }

    static void remember(final @NotNull ConnectionInformation connection, final @NotNull Identity identity) {
        connection.getConnectionAttributeStore().putAsString(ATTRIBUTE, identity.encode());
    }

    /** The identity established at CONNECT; empty only for a connection this extension did not authenticate. */
    public static @NotNull Optional<Identity> of(final @NotNull ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(ATTRIBUTE).flatMap(Identity::decode);
    }
}
