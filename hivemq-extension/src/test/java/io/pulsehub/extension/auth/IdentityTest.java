package io.pulsehub.extension.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityTest {

    @Test
    void everyRoleSurvivesTheConnectionAttributeStore() {
        for (final Identity identity : new Identity[] {Identity.device("thermo-1"), Identity.app("alice"),
                Identity.service("bridge"), Identity.app("a:b")}) {
            assertThat(identity.encode()).startsWith(identity.role().name().toLowerCase() + ":");
            assertThat(Identity.decode(identity.encode())).contains(identity);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "device:", ":thermo-1", "devices:thermo-1", "DEVICE:thermo-1", "thermo-1",
            "admin:root"})
    void anythingElseIsNoIdentity(final String encoded) {
        assertThat(Identity.decode(encoded)).isEmpty();
    }
}
