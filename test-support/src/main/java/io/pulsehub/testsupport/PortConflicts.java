package io.pulsehub.testsupport;

import java.util.Locale;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a server start when its free port was taken between {@link FreePorts#find()} and the server's bind, which
 * happens when test JVMs start servers in parallel.
 */
final class PortConflicts {

    private static final Logger log = LoggerFactory.getLogger(PortConflicts.class);
    private static final int ATTEMPTS = 3;

    private PortConflicts() {
    }

    /** {@code start} must pick fresh ports and clean up after itself when it fails. */
    static <T> T retry(final Supplier<T> start) {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.get();
            } catch (final IllegalStateException e) {
                if (attempt == ATTEMPTS || !isPortConflict(e)) {
                    throw e;
                }
                log.info("Port taken by another process while starting a server, trying other ports");
            }
        }
    }

    private static boolean isPortConflict(final IllegalStateException e) {
        // redis-server says "Address already in use", Go servers "address already in use".
        return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("address already in use");
    }
}
