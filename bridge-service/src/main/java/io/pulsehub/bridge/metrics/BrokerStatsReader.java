package io.pulsehub.bridge.metrics;

import io.pulsehub.contract.BrokerStats;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest sample of every live broker node, as the extension leaves them in Redis ({@link BrokerStats}): the
 * node set names the candidates, and a node whose hash has expired is gone. Two round trips whatever the number of
 * nodes. Nodes not heard of for {@link BrokerStats#FORGET_AFTER} are removed from the set on the way, by whichever
 * bridge gets there first.
 */
@Singleton
class BrokerStatsReader {

    private static final Logger log = LoggerFactory.getLogger(BrokerStatsReader.class);

    private final UnifiedJedis redis;
    /** Nodes already reported as unreadable, so a bad hash is named once and not every interval; reporter thread. */
    private final Set<String> warned = new HashSet<>();

    BrokerStatsReader(final UnifiedJedis redis) {
        this.redis = redis;
    }

    /**
     * @param nowMillis this bridge's clock, only to tell forgotten nodes
     * @throws redis.clients.jedis.exceptions.JedisException when Redis cannot be read
     */
    List<BrokerStats> live(final long nowMillis) {
        final double forgetBefore = nowMillis - BrokerStats.FORGET_AFTER.toMillis();
        final Response<List<String>> candidates;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            pipeline.zremrangeByScore(BrokerStats.NODES, Double.NEGATIVE_INFINITY, forgetBefore - 1);
            candidates = pipeline.zrangeByScore(BrokerStats.NODES, forgetBefore, Double.POSITIVE_INFINITY);
            pipeline.sync();
        }
        final Map<String, Response<Map<String, String>>> hashes = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (final String node : candidates.get()) {
                if (BrokerStats.isNodeName(node)) {
                    hashes.put(node, pipeline.hgetAll(BrokerStats.key(node)));
                } else {
                    // Not quoted: it may hold anything, line breaks included.
                    warnOnce("?", "a member of " + BrokerStats.NODES + " is no broker node name");
                }
            }
            pipeline.sync();
        }
        final List<BrokerStats> live = new ArrayList<>(hashes.size());
        for (final Map.Entry<String, Response<Map<String, String>>> hash : hashes.entrySet()) {
            final Map<String, String> fields = hash.getValue().get();
            if (fields == null || fields.isEmpty()) {
                continue; // expired: the node stopped reporting
            }
            try {
                live.add(BrokerStats.fromFields(hash.getKey(), fields));
            } catch (final IllegalArgumentException e) {
                warnOnce(hash.getKey(), e.getMessage());
            }
        }
        return live;
    }

    /** @param node a valid node name (safe to log), or "?" */
    private void warnOnce(final String node, final String reason) {
        if (warned.size() < 1_000 && warned.add(node)) {
            log.warn("Ignoring the broker stats of node '{}' in Redis: {}", node, reason);
        }
    }
}
