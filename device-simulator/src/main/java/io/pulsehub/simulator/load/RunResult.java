package io.pulsehub.simulator.load;

import java.time.Duration;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What a run did.
 *
 * @param failed         publishes the hub refused (MQTT 5 reason code) or that ended in an error
 * @param unacknowledged publishes still without an answer when the run gave up waiting
 * @param connectTime    from the first CONNECT to the last CONNACK
 * @param elapsed        from the first publish to the last answer
 * @param latencyMicros  publish to acknowledgement, acknowledged publishes only
 * @param failureReasons reason to count, for failed publishes
 * @param stopped        true when the run was stopped early (Ctrl-C)
 * @param offline        what the devices buffered while offline and uploaded afterwards
 */
public record RunResult(int devices, Duration connectTime, long sent, long acked, long failed, long unacknowledged,
                        Duration elapsed,
                        Histogram latencyMicros, Map<String, Long> failureReasons, long connectionLosses,
                        boolean stopped, OfflineCounts offline) {

    /**
     * @param buffered        readings taken while offline
     * @param uploaded        of these, readings in array publishes the hub acknowledged
     * @param uploadPublishes array publishes sent for the upload
     */
    public record OfflineCounts(long buffered, long uploaded, long uploadPublishes) {
        public static final OfflineCounts NONE = new OfflineCounts(0, 0, 0);
    }

    public RunResult(final int devices, final Duration connectTime, final long sent, final long acked,
                     final long failed, final long unacknowledged, final Duration elapsed,
                     final Histogram latencyMicros, final Map<String, Long> failureReasons,
                     final long connectionLosses, final boolean stopped) {
        this(devices, connectTime, sent, acked, failed, unacknowledged, elapsed, latencyMicros, failureReasons,
                connectionLosses, stopped, OfflineCounts.NONE);
    }

    /** What the exit code says: every publish sent was acknowledged. */
    public boolean everythingAcknowledged() {
        return acked == sent;
    }
}
