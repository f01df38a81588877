package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionIdentityTest {

    /** A connection whose attribute store holds {@link #identity} and counts how often it is read. */
    private static final class Connection {
        volatile String identity;
        final AtomicInteger reads = new AtomicInteger();

        ConnectionInformation information() {
            final ConnectionAttributeStore store = (ConnectionAttributeStore) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {ConnectionAttributeStore.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getAsString") && Identities.ATTRIBUTE.equals(args[0])) {
                            reads.incrementAndGet();
                            return Optional.ofNullable(identity);
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            return (ConnectionInformation) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConnectionInformation.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getConnectionAttributeStore")) {
                            return store;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void identityIsReadOnceAndThenKept() {
        final Connection connection = new Connection();
        connection.identity = Identity.device("thermo-1").encode();
        final ConnectionIdentity identity = new ConnectionIdentity();
        final ConnectionInformation information = connection.information();

        for (int i = 0; i < 3; i++) {
            assertThat(identity.of(information)).contains(Identity.device("thermo-1"));
        }
        assertThat(connection.reads).hasValue(1);
    }

    @Test
    void connectionWithoutIdentityStaysRefusedAndIsAskedAgainUntilItHasOne() {
        final Connection connection = new Connection();
        final ConnectionIdentity identity = new ConnectionIdentity();
        final ConnectionInformation information = connection.information();

        assertThat(identity.of(information)).isEmpty();
        assertThat(identity.of(information)).isEmpty();
        assertThat(connection.reads).hasValue(2);

        connection.identity = Identity.app("alice").encode();
        assertThat(identity.of(information)).contains(Identity.app("alice"));
        assertThat(identity.of(information)).contains(Identity.app("alice"));
        assertThat(connection.reads).hasValue(3);
    }
}
