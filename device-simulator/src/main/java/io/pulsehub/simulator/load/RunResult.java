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
 */
public record RunResult(int devices, Duration connectTime, long sent, long acked, long failed, long unacknowledged,
                        Duration elapsed,
                        Histogram latencyMicros, Map<String, Long> failureReasons, long connectionLosses,
                        boolean stopped) {

    /** What the exit code says: every publish sent was acknowledged. */
    public boolean everythingAcknowledged() {
        return acked == sent;
    }
}
