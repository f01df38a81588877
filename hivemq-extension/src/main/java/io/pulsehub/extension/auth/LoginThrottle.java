package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import io.pulsehub.extension.config.LoginThrottleSettings;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed logins per client id and per source address and says how long the next login with them must wait,
 * or that the address is blocked. Pure bookkeeping, no I/O, so it is tested directly; thread-safe.
 * <p>
 * Every login over the allowance waits, the correct one too: if only failures were delayed, a client trying
 * tokens in parallel would learn of a hit at once. A success forgets the client id's failures but never the
 * address's, or one valid account would launder an attacker's address. The client id is never blocked outright:
 * device ids are no secret, and anyone could otherwise lock a device out; it is only slowed down.
 * <p>
 * Memory is bounded: at most {@link #MAX_TRACKED} keys per kind, and long client ids are shortened. While a table
 * is full, until the periodic {@link #sweep} frees room, new keys go untracked (the address of a client inventing
 * client ids is still counted).
 */
final class LoginThrottle {

    static final int MAX_TRACKED = 100_000;
    private static final int MAX_KEY_CHARS = 128;
    /** Doubling beyond this would overflow; the cap has long been reached by then. */
    private static final int MAX_DOUBLINGS = 30;

    /** What to do with a login before looking at its credentials. */
    record Admission(@NotNull Kind kind, @NotNull Duration pause) {

        enum Kind { NOW, DELAYED, BLOCKED }

        private static final Admission NOW = new Admission(Kind.NOW, Duration.ZERO);
    }

    /** A failure just counted, for the log. */
    record Failures(int ofClient, int ofAddress, boolean clientNowThrottled, boolean addressNowThrottled,
                    boolean addressNowBlocked) {
    }

    /** Mutated only inside the owning map's compute functions, which serialise access per key. */
    private static final class Count {
        private int failures;
        private long lastFailureNanos;
        private long blockedUntilNanos;
        private boolean blocked;
    }

    private final @NotNull LoginThrottleSettings settings;
    private final @NotNull LongSupplier nanoTime;
    private final @NotNull Map<String, Count> clients = new ConcurrentHashMap<>();
    private final @NotNull Map<String, Count> addresses = new ConcurrentHashMap<>();

    LoginThrottle(final @NotNull LoginThrottleSettings settings, final @NotNull LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    @NotNull Admission admit(final @NotNull String clientId, final @Nullable String address) {
        final long now = nanoTime.getAsLong();
        final long[] blockedFor = {0};
        final int[] addressFailures = {0};
        if (address != null) {
            addresses.computeIfPresent(address, (key, count) -> {
                expire(count, now);
                if (count.blocked) {
                    blockedFor[0] = count.blockedUntilNanos - now;
                }
                addressFailures[0] = count.failures;
                return count;
            });
        }
        if (blockedFor[0] > 0) {
            return new Admission(Admission.Kind.BLOCKED, Duration.ofNanos(blockedFor[0]));
        }
        final int[] clientFailures = {0};
        clients.computeIfPresent(key(clientId), (key, count) -> {
            expire(count, now);
            clientFailures[0] = count.failures;
            return count;
        });
        return admission(clientFailures[0], addressFailures[0]);
    }

    private @NotNull Admission admission(final int clientFailures, final int addressFailures) {
        final int excess = Math.max(clientFailures - settings.freeFailuresPerClient(),
                addressFailures - settings.freeFailuresPerAddress());
        return excess <= 0 ? Admission.NOW : new Admission(Admission.Kind.DELAYED, delayFor(excess));
    }

    /** base, 2 x base, 4 x base, ... at most the configured maximum. */
    @NotNull Duration delayFor(final int excessFailures) {
        final int doublings = Math.min(excessFailures - 1, MAX_DOUBLINGS);
        final long millis = settings.baseDelay().toMillis() << doublings;
        return Duration.ofMillis(Math.min(millis, settings.maxDelay().toMillis()));
    }

    @NotNull Failures failed(final @NotNull String clientId, final @Nullable String address) {
        final long now = nanoTime.getAsLong();
        final int ofClient = count(clients, key(clientId), now, false);
        final int ofAddress = address == null ? 0 : count(addresses, address, now, true);
        final boolean blockedNow = address != null && settings.blockAfterFailuresPerAddress() > 0
                && ofAddress == settings.blockAfterFailuresPerAddress();
        return new Failures(ofClient, ofAddress, ofClient == settings.freeFailuresPerClient() + 1,
                ofAddress == settings.freeFailuresPerAddress() + 1, blockedNow);
    }

    void succeeded(final @NotNull String clientId) {
        clients.remove(key(clientId));
    }

    /** Forgets counts whose memory has run out and blocks that have ended. */
    void sweep() {
        final long now = nanoTime.getAsLong();
        sweep(clients, now);
        sweep(addresses, now);
    }

    int tracked() {
        return clients.size() + addresses.size();
    }

    private int count(final @NotNull Map<String, Count> table, final @NotNull String key, final long now,
                      final boolean mayBlock) {
        // No sweep here: at a full table it would cost a pass over all keys per failed login.
        if (table.size() >= MAX_TRACKED && !table.containsKey(key)) {
            return 0;
        }
        final int[] failures = {0};
        // compute() holds the entry while it counts, so a concurrent sweep cannot drop a count being raised.
        table.compute(key, (k, existing) -> {
            final Count count = existing == null ? new Count() : existing;
            expire(count, now);
            count.failures++;
            count.lastFailureNanos = now;
            if (mayBlock && settings.blockAfterFailuresPerAddress() > 0
                    && count.failures >= settings.blockAfterFailuresPerAddress() && !count.blocked) {
                count.blocked = true;
                count.blockedUntilNanos = now + settings.blockDuration().toNanos();
            }
            failures[0] = count.failures;
            return count;
        });
        return failures[0];
    }

    /** A block that has run out starts the count afresh; so does a count not added to for the memory period. */
    private void expire(final @NotNull Count count, final long now) {
        if (count.blocked) {
            if (now - count.blockedUntilNanos >= 0) {
                count.blocked = false;
                count.failures = 0;
            }
            return;
        }
        if (count.failures > 0 && now - count.lastFailureNanos >= settings.failureMemory().toNanos()) {
            count.failures = 0;
        }
    }

    private void sweep(final @NotNull Map<String, Count> table, final long now) {
        for (final String key : table.keySet()) {
            table.computeIfPresent(key, (k, count) -> {
                expire(count, now);
                return !count.blocked && count.failures == 0 ? null : count;
            });
        }
    }

    /** Client ids may be 64 KiB long; only so much of one is worth remembering. */
    private static @NotNull String key(final @NotNull String clientId) {
        if (clientId.length() <= MAX_KEY_CHARS) {
            return clientId;
        }
        return clientId.substring(0, MAX_KEY_CHARS - 9) + "#" + Integer.toHexString(clientId.hashCode());
    }
}
