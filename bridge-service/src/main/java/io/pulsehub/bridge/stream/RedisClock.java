package io.pulsehub.bridge.stream;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Redis's clock: stream entry ids are Redis times, so everything compared with them must use this clock too. */
public final class RedisClock {

    private RedisClock() {
    }

    public static long millis(final UnifiedJedis redis) {
        final List<?> parts = (List<?>) redis.sendCommand(Protocol.Command.TIME);
        final long seconds = Long.parseLong(new String((byte[]) parts.get(0), StandardCharsets.US_ASCII));
        final long micros = Long.parseLong(new String((byte[]) parts.get(1), StandardCharsets.US_ASCII));
        return seconds * 1000 + micros / 1000;
    }
}
