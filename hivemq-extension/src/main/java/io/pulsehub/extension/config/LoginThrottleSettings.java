package io.pulsehub.extension.config;

import com.hivemq.extension.sdk.api.annotations.NotNull;

import java.time.Duration;

/**
 * How repeated failed logins are slowed down. Failures are counted per client id and per source address; once a
 * count passes its free allowance, every further login with that client id or from that address waits
 * {@code baseDelay} doubled per extra failure, at most {@code maxDelay}. An address that keeps failing is refused
 * outright for {@code blockDuration}. A count is forgotten {@code failureMemory} after its last failure.
 *
 * @param freeFailuresPerClient       failures of one client id before its logins are delayed
 * @param freeFailuresPerAddress      failures from one address before its logins are delayed
 * @param baseDelay                   the first delay
 * @param maxDelay                    the longest delay
 * @param blockAfterFailuresPerAddress failures from one address after which it is blocked; 0 = never block
 * @param blockDuration               how long a blocked address is refused
 * @param failureMemory               how long after its last failure a count is kept
 */
public record LoginThrottleSettings(int freeFailuresPerClient, int freeFailuresPerAddress,
                                    @NotNull Duration baseDelay, @NotNull Duration maxDelay,
                                    int blockAfterFailuresPerAddress, @NotNull Duration blockDuration,
                                    @NotNull Duration failureMemory) {

    public static final int DEFAULT_FREE_FAILURES_PER_CLIENT = 5;
    public static final int DEFAULT_FREE_FAILURES_PER_ADDRESS = 20;
    public static final int DEFAULT_DELAY_BASE_MS = 250;
    public static final int DEFAULT_DELAY_MAX_MS = 5_000;
    public static final int DEFAULT_BLOCK_AFTER_FAILURES_PER_ADDRESS = 500;
    public static final int DEFAULT_BLOCK_S = 300;
    public static final int DEFAULT_FAILURE_MEMORY_S = 600;
}
