package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;

import java.util.HexFormat;
import java.util.Optional;

/**
 * Keeps each connection's {@link Identity} in HiveMQ's connection attribute store. The store lives exactly as long
 * as the connection, so a client that takes over a client id never inherits, or removes, the identity of the
 * connection it replaced (a map keyed by client id and cleaned on disconnect would race with exactly that).
 * <p>
 * Next to the identity each connection gets an id of its own, which tells two connections of the same device apart,
 * and a device connection the registry's token hash its login matched, which tells whether it still holds valid
 * credentials after a revocation. The hash is the registry's, not the token: it lets nobody in.
 */
public final class Identities {

    static final String ATTRIBUTE = "io.pulsehub.identity";
    static final String CONNECTION_ATTRIBUTE = "io.pulsehub.connection";
    static final String CREDENTIAL_ATTRIBUTE = "io.pulsehub.credential-sha256";

    private Identities() {
    }

    static void remember(final @NotNull ConnectionInformation connection, final @NotNull LoginDecision decision,
                         final @NotNull String connectionId) {
        final var store = connection.getConnectionAttributeStore();
        store.putAsString(CONNECTION_ATTRIBUTE, connectionId);
        if (decision.credentialSha256() != null) {
            store.putAsString(CREDENTIAL_ATTRIBUTE, HexFormat.of().formatHex(decision.credentialSha256()));
        }
        // Last, so that whoever sees an identity also sees the rest.
        store.putAsString(ATTRIBUTE, decision.identity().encode());
    }

    /** The identity established at CONNECT; empty only for a connection this extension did not authenticate. */
    public static @NotNull Optional<Identity> of(final @NotNull ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(ATTRIBUTE).flatMap(Identity::decode);
    }

    /** The id this extension gave the connection at CONNECT. */
    public static @NotNull Optional<String> connectionIdOf(final @NotNull ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(CONNECTION_ATTRIBUTE);
    }

    /** For a device connection, the registry token hash its login matched. */
    public static @NotNull Optional<byte[]> credentialOf(final @NotNull ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(CREDENTIAL_ATTRIBUTE)
                .map(hex -> HexFormat.of().parseHex(hex));
    }
}
