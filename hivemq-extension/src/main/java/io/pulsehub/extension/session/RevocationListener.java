package io.pulsehub.extension.session;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import io.pulsehub.contract.Revocations;
import io.pulsehub.extension.redis.RedisClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Subscribes to {@link Revocations#CHANNEL} on a thread of its own, for as long as the extension runs. A subscription
 * lost to a Redis outage is re-established with capped backoff; Redis pub/sub does not keep messages for absent
 * subscribers, so every (re)subscription has all connected devices checked again. A subscription that silently
 * stops answering (no PONG to the periodic PING) is closed and re-established too. The work itself runs on the
 * given executor, so a slow registry never holds up the subscription.
 */
public final class RevocationListener {

    private static final Logger log = LoggerFactory.getLogger(RevocationListener.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    private static final Duration PING_INTERVAL = Duration.ofSeconds(5);
    private static final int MISSED_PINGS = 3;

    private final @NotNull URI redisUrl;
    private final @NotNull Duration timeout;
    private final @NotNull RevocationHandler handler;
    private final @NotNull Executor executor;
    private final @NotNull ScheduledExecutorService scheduler;
    private final @NotNull Thread thread;
    private volatile @Nullable ScheduledFuture<?> watchdog;
    private volatile boolean running = true;
    private volatile @Nullable Jedis connection;
    private volatile @Nullable Subscriber subscriber;
    private volatile boolean everSubscribed;

    RevocationListener(final @NotNull URI redisUrl, final @NotNull Duration timeout,
                       final @NotNull RevocationHandler handler, final @NotNull Executor executor,
                       final @NotNull ScheduledExecutorService scheduler) {
        this.redisUrl = redisUrl;
        this.timeout = timeout;
        this.handler = handler;
        this.executor = executor;
        this.scheduler = scheduler;
        this.thread = new Thread(this::run, "pulsehub-revocations");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
        watchdog = scheduler.scheduleWithFixedDelay(this::watch, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Whether the subscription is currently established (for tests and health). */
    public boolean isSubscribed() {
        final Subscriber current = subscriber;
        return current != null && current.isSubscribed();
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        while (running) {
            final Subscriber current = new Subscriber();
            try (Jedis jedis = new Jedis(RedisClients.hostAndPort(redisUrl),
                    RedisClients.subscriberConfig(redisUrl, timeout, "pulsehub-extension-revocations"))) {
                connection = jedis;
                subscriber = current;
                if (running) {
                    // Blocks, with no read timeout, until unsubscribed or the connection fails.
                    jedis.subscribe(current, Revocations.CHANNEL);
                }
            } catch (final RuntimeException e) {
                if (!running) {
                    break;
                }
                if (current.confirmed) {
                    retry = FIRST_RETRY;
                }
                log.warn("revocation subscription {}: {}; retrying in {} ms",
                        current.confirmed ? "lost" : "not possible", e.getMessage(), retry.toMillis());
                log.debug("subscription failure", e);
            } finally {
                connection = null;
                subscriber = null;
            }
            if (!pause(retry)) {
                break;
            }
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        }
        log.debug("revocation listener stopped");
    }

    /** @return false when stopped while pausing */
    private boolean pause(final @NotNull Duration duration) {
        if (!running) {
            return false;
        }
        try {
            Thread.sleep(duration.toMillis());
            return running;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs on the scheduler: PING the subscription, and drop it when PONGs stopped coming. */
    private void watch() {
        final Subscriber current = subscriber;
        final Jedis jedis = connection;
        if (current == null || jedis == null || !current.isSubscribed()) {
            return;
        }
        final long silentNanos = System.nanoTime() - current.lastSignNanos;
        try {
            if (silentNanos > PING_INTERVAL.toNanos() * MISSED_PINGS) {
                log.warn("no answer on the revocation subscription for {} s; reconnecting",
                        Duration.ofNanos(silentNanos).toSeconds());
                jedis.disconnect();
            } else {
                current.ping();
            }
        } catch (final RuntimeException e) {
            log.debug("revocation subscription ping failed: {}", e.toString());
            disconnectQuietly(jedis);
        }
    }

    public void stop(final @NotNull Duration grace) {
        running = false;
        final ScheduledFuture<?> currentWatchdog = watchdog;
        if (currentWatchdog != null) {
            currentWatchdog.cancel(false);
        }
        final Subscriber current = subscriber;
        try {
            if (current != null && current.isSubscribed()) {
                current.unsubscribe();
            }
        } catch (final RuntimeException e) {
            log.debug("unsubscribing failed: {}", e.toString());
        }
        final Jedis jedis = connection;
        if (jedis != null) {
            disconnectQuietly(jedis);
        }
        thread.interrupt();
        try {
            thread.join(grace.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void disconnectQuietly(final @NotNull Jedis jedis) {
        try {
            jedis.disconnect();
        } catch (final RuntimeException e) {
            log.debug("closing the revocation connection failed: {}", e.toString());
        }
    }

    private void submit(final @NotNull Runnable work) {
        try {
            executor.execute(work);
        } catch (final RejectedExecutionException e) {
            // Shutting down, or the executor is saturated: a revocation must not be dropped, so do it here.
            work.run();
        }
    }

    private final class Subscriber extends JedisPubSub {

        private volatile boolean confirmed;
        private volatile long lastSignNanos = System.nanoTime();

        @Override
        public void onSubscribe(final String channel, final int subscribedChannels) {
            confirmed = true;
            lastSignNanos = System.nanoTime();
            if (everSubscribed) {
                log.info("revocation subscription restored");
            } else {
                log.info("listening for revocations on {}", Revocations.CHANNEL);
            }
            everSubscribed = true;
            submit(handler::recheckAll);
        }

        @Override
        public void onMessage(final String channel, final String message) {
            lastSignNanos = System.nanoTime();
            submit(() -> handler.revoked(message.trim()));
        }

        @Override
        public void onPong(final String pattern) {
            lastSignNanos = System.nanoTime();
        }
    }
}
