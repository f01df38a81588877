package io.pulsehub.bridge.stream;

import redis.clients.jedis.StreamEntryID;

import java.util.Map;

/**
 * One stream entry as delivered to this consumer.
 *
 * @param fields     the raw fields; {@code null} when the entry was deleted from the stream while it was pending
 * @param deliveries how many times the group has delivered the entry, this delivery included (Redis's delivery
 *                   count); 1 for a first delivery, 0 when unknown
 */
record Delivery(String stream, StreamEntryID id, Map<byte[], byte[]> fields, long deliveries) {

    Delivery(final String stream, final StreamEntryID id, final Map<byte[], byte[]> fields) {
        this(stream, id, fields, 1);
    }

    Delivery withDeliveries(final long count) {
        return new Delivery(stream, id, fields, count);
    }
}
