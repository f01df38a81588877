package io.pulsehub.extension.auth;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.annotations.NotNull;

/** Login counters, in HiveMQ's metric registry (JMX and any metrics extension see them). */
public final class AuthMetrics {

    static final String PREFIX = "io.pulsehub.extension.auth.";

    final @NotNull Counter succeeded;
    final @NotNull Counter failed;
    final @NotNull Counter delayed;
    final @NotNull Counter blocked;
    final @NotNull Counter unavailable;

    public AuthMetrics(final @NotNull MetricRegistry registry) {
        this.succeeded = registry.counter(PREFIX + "succeeded");
        this.failed = registry.counter(PREFIX + "failed");
        this.delayed = registry.counter(PREFIX + "delayed");
        this.blocked = registry.counter(PREFIX + "blocked");
        this.unavailable = registry.counter(PREFIX + "unavailable");
    }

    /** Logins accepted. */
    public long succeededCount() {
        return succeeded.getCount();
    }

    /** Logins refused for the client's own reasons (bad credentials, invalid client id, ...). */
    public long failedCount() {
        return failed.getCount();
    }

    /** Logins that had to wait because their client id or address had failed too often. */
    public long delayedCount() {
        return delayed.getCount();
    }

    /** Logins refused unseen because their address was blocked. */
    public long blockedCount() {
        return blocked.getCount();
    }
}
