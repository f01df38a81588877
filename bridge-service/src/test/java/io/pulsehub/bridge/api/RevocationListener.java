package io.pulsehub.bridge.api;

import io.pulsehub.contract.Revocations;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Listens on the revocation channel the way a broker node does, and tells what it heard. */
final class RevocationListener implements AutoCloseable {

    private final RedisClient redis;
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final JedisPubSub subscription = new JedisPubSub() {
        @Override
        public void onMessage(final String channel, final String message) {
            heard.add(message);
        }
    };
    private final Thread thread;

    private RevocationListener(final String redisUrl) {
        this.redis = RedisClient.create(redisUrl);
        this.thread = new Thread(() -> redis.subscribe(subscription, Revocations.CHANNEL), "revocation-listener");
        thread.setDaemon(true);
    }

    static RevocationListener start(final String redisUrl) {
        final RevocationListener listener = new RevocationListener(redisUrl);
        listener.thread.start();
        await().atMost(Duration.ofSeconds(10)).until(listener.subscription::isSubscribed);
        return listener;
    }

    /** Waits until the device ids were heard, in this order, and nothing else. */
    void awaitExactly(final String... deviceIds) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heard).containsExactly(deviceIds));
    }

    @Override
    public void close() {
        if (subscription.isSubscribed()) {
            subscription.unsubscribe();
        }
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
    }
}
