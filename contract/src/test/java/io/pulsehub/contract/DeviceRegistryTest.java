package io.pulsehub.contract;

import io.pulsehub.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceRegistryTest {

    private static RedisServer server;
    private static RedisClient redis;
    private static DeviceRegistry registry;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
        redis = RedisClient.create(URI.create(server.url()));
        registry = new DeviceRegistry(redis);
    }

    @AfterAll
    static void stop() {
        redis.close();
        server.close();
    }

    @Test
    void provisionedDeviceIsFoundAndStoresOnlyTheTokenHash() {
        final ProvisionedDevice device = registry.provision("reg-1", "alice");

        assertThat(device.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(redis.hgetAll(DeviceRegistry.deviceKey("reg-1")))
                .containsEntry("owner", "alice")
                .containsEntry("token", DeviceTokens.sha256Hex(device.token()))
                .doesNotContainValue(device.token());
        assertThat(registry.find("reg-1")).hasValueSatisfying(record -> {
            assertThat(record.owner()).isEqualTo("alice");
            assertThat(record.acceptsToken(device.token())).isTrue();
            assertThat(record.acceptsToken(device.token() + "x")).isFalse();
            assertThat(record.acceptsToken(null)).isFalse();
        });
        assertThat(registry.devicesOf("alice")).contains("reg-1");
    }

    @Test
    void provisioningTwiceIsRefusedAndKeepsTheFirstToken() {
        final ProvisionedDevice first = registry.provision("reg-2", "alice");

        assertThatThrownBy(() -> registry.provision("reg-2", "bob")).isInstanceOf(DeviceAlreadyExistsException.class);
        assertThat(registry.find("reg-2")).hasValueSatisfying(r -> {
            assertThat(r.owner()).isEqualTo("alice");
            assertThat(r.acceptsToken(first.token())).isTrue();
        });
        assertThat(registry.devicesOf("bob")).doesNotContain("reg-2");
    }

    @Test
    void invalidIdsAreRefusedBeforeTouchingRedis() {
        assertThatThrownBy(() -> registry.provision("a b", "alice")).hasMessageContaining("device id must match");
        assertThatThrownBy(() -> registry.provision("reg-3", "al ice")).hasMessageContaining("owner must match");
        assertThat(redis.exists(DeviceRegistry.deviceKey("a b"))).isFalse();
        assertThat(registry.find("a b")).isEmpty();
    }

    @Test
    void deleteRemovesDeviceAndOwnership() {
        registry.provision("reg-4", "carol");

        assertThat(registry.delete("reg-4")).isTrue();
        assertThat(registry.delete("reg-4")).isFalse();
        assertThat(registry.find("reg-4")).isEmpty();
        assertThat(registry.devicesOf("carol")).isEmpty();
    }

    @Test
    void rotationReplacesTheToken() {
        final ProvisionedDevice old = registry.provision("reg-5", "dave");

        final ProvisionedDevice rotated = registry.rotateToken("reg-5").orElseThrow();

        assertThat(rotated.token()).isNotEqualTo(old.token());
        assertThat(registry.find("reg-5").orElseThrow().acceptsToken(old.token())).isFalse();
        assertThat(registry.find("reg-5").orElseThrow().acceptsToken(rotated.token())).isTrue();
        assertThat(registry.rotateToken("nobody")).isEmpty();
    }
}
