package io.pulsehub.bridge.stream;

import redis.clients.jedis.StreamEntryID;

import java.util.Map;

/**
 * One stream entry as delivered to this consumer.
 *
 * @param fields the raw fields; {@code null} when the entry was deleted from the stream while it was pending
 */
record Delivery(String stream, StreamEntryID id, Map<byte[], byte[]> fields) {
}
