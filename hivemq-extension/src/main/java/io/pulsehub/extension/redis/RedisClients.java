package io.pulsehub.extension.redis;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the extension's Redis clients. Every call is bounded: connect, read and waiting for a pooled connection
 * all give up after the configured timeout, so a hung Redis turns into a refusal rather than a stuck thread.
 */
public final class RedisClients {

    private RedisClients() {
    }

    /**
     * For lookups that come now and then (logins, revocations): a connection may have sat idle through a Redis
     * restart, so each is PINGed when taken from the pool, one round trip per use, which saves failing the lookup on a
     * stale socket.
     *
     * @param url            {@code redis://[user:password@]host[:port][/db]} or {@code rediss://…}, already validated
     * @param clientName     shown by {@code CLIENT LIST}, to tell the extension's connections apart
     * @param maxConnections pool size
     */
    public static @NotNull RedisClient create(final @NotNull URI url, final @NotNull Duration timeout,
                                              final @NotNull String clientName, final int maxConnections) {
        return client(url, timeout, clientName, maxConnections, true);
    }

    /**
     * For the stream writer: one connection in constant use, not PINGed before each batch. That PING was a second
     * round trip to Redis on the way of every PUBACK; {@link io.pulsehub.extension.stream.RedisStreamSink} sends a
     * batch once more on a new connection instead when the connection turns out to be broken.
     */
    public static @NotNull RedisClient writer(final @NotNull URI url, final @NotNull Duration timeout,
                                              final @NotNull String clientName) {
        return client(url, timeout, clientName, 1, false);
    }

    private static @NotNull RedisClient client(final @NotNull URI url, final @NotNull Duration timeout,
                                               final @NotNull String clientName, final int maxConnections,
                                               final boolean pingOnBorrow) {
        final ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(timeout);
        pool.setTestOnBorrow(pingOnBorrow);
        return RedisClient.builder()
                .hostAndPort(hostAndPort(url))
                .clientConfig(clientConfig(url, timeout, clientName))
                .poolConfig(pool)
                .build();
    }

    /**
     * For a single {@code Jedis} connection held by a subscriber: RESP2, which a plain {@code Jedis} speaks without
     * negotiating (and without warning that it cannot).
     */
    public static @NotNull JedisClientConfig subscriberConfig(final @NotNull URI url,
                                                              final @NotNull Duration timeout,
                                                              final @NotNull String clientName) {
        return builder(url, timeout, clientName).protocol(RedisProtocol.RESP2).build();
    }

    private static @NotNull JedisClientConfig clientConfig(final @NotNull URI url, final @NotNull Duration timeout,
                                                           final @NotNull String clientName) {
        return builder(url, timeout, clientName).build();
    }

    /** Credentials, database, TLS and timeouts of the URL. */
    private static DefaultJedisClientConfig.@NotNull Builder builder(final @NotNull URI url,
                                                                     final @NotNull Duration timeout,
                                                                     final @NotNull String clientName) {
        final int millis = Math.toIntExact(timeout.toMillis());
        final DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .clientName(clientName)
                .database(database(url))
                .ssl("rediss".equals(url.getScheme()));
        final String userInfo = url.getUserInfo();
        if (userInfo != null) {
            final int colon = userInfo.indexOf(':');
            final String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (!user.isEmpty()) {
                client.user(user);
            }
            if (colon >= 0) {
                client.password(userInfo.substring(colon + 1));
            }
        }
        return client;
    }

    public static @NotNull HostAndPort hostAndPort(final @NotNull URI url) {
        return new HostAndPort(url.getHost(), url.getPort() < 0 ? Protocol.DEFAULT_PORT : url.getPort());
    }

    /** {@code /2} → 2; no path → 0. The config loader has already checked the path. */
    public static int database(final @NotNull URI url) {
        final String path = url.getPath();
        if (path == null || path.isEmpty() || "/".equals(path)) {
            return Protocol.DEFAULT_DATABASE;
        }
        return Integer.parseInt(path.substring(1));
    }
}
