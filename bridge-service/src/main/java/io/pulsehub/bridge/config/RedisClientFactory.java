package io.pulsehub.bridge.config;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** One pooled, thread-safe Redis client for the stream loop, the aggregation, the device API and /health. */
@Factory
class RedisClientFactory {

    /** Connecting is lazy: the bridge starts while Redis is down and its loops retry until it is back. */
    @Singleton
    @Bean(preDestroy = "close")
    UnifiedJedis redis(final BridgeConfig config) {
        return RedisClient.create(config.redisUrl());
    }
}
