package io.pulsehub.bridge.api;

import io.micronaut.context.annotation.Factory;
import io.pulsehub.contract.DeviceRegistry;
import jakarta.inject.Singleton;
import redis.clients.jedis.UnifiedJedis;

@Factory
class RegistryFactory {

    @Singleton
    DeviceRegistry deviceRegistry(final UnifiedJedis redis) {
        return new DeviceRegistry(redis);
    }
}
