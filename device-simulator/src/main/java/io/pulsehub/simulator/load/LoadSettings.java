package io.pulsehub.simulator.load;

import java.time.Duration;
import java.util.Objects;

import io.pulsehub.simulator.profile.Profile;

/**
 * What one run does, validated when built.
 *
 * @param ratePerDevice  readings per second per device; 0 = as fast as the in-flight window allows
 * @param duration       how long to publish; {@code null} = until the count is reached or the run is stopped
 * @param countPerDevice readings per device; 0 = no limit
 * @param drainTimeout   how long to wait for outstanding acknowledgements once publishing stopped
 * @param cleanSession   false: persistent sessions, so Paho resends unacknowledged publishes after a reconnect
 * @param offline        when and how long each device goes offline; {@code null} = always online
 * @param latencyAfter   latencies are recorded only for publishes sent at least this long after publishing started,
 *                       so that a fresh JVM's warm-up (JIT compilation, first collections) does not count as the
 *                       hub's latency; counts include every publish
 */
public record LoadSettings(Profile profile, double ratePerDevice, int qos, MqttVersion mqttVersion, String mqttUrl,
                           int maxInflight, Duration duration, long countPerDevice, Duration drainTimeout,
                           boolean cleanSession, long seed, Duration connectTimeout, OfflineSettings offline,
                           Duration latencyAfter) {

    public static final int DEFAULT_MAX_INFLIGHT = 10;
    static final int KEEP_ALIVE_SECONDS = 30;

    public LoadSettings {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(mqttVersion, "mqttVersion");
        Objects.requireNonNull(mqttUrl, "mqttUrl");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (!(ratePerDevice >= 0) || Double.isInfinite(ratePerDevice)) {
            throw new IllegalArgumentException("rate must be a number >= 0 (0 = unthrottled), not " + ratePerDevice);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
        }
        if (maxInflight < 1 || maxInflight > 65_535) {
            throw new IllegalArgumentException("max in-flight must be 1..65535, not " + maxInflight);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (countPerDevice < 0) {
            throw new IllegalArgumentException("count must be positive");
        }
        if (duration != null && countPerDevice > 0) {
            throw new IllegalArgumentException("give a duration or a count, not both");
        }
        if (connectTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("connect timeout must be at least 1 s");
        }
        Objects.requireNonNull(latencyAfter, "latencyAfter");
        if (latencyAfter.isNegative()) {
            throw new IllegalArgumentException("latency-after must not be negative");
        }
        if (duration != null && latencyAfter.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("latency-after (" + latencyAfter.toMillis() + " ms) must be shorter "
                    + "than the duration (" + duration.toMillis() + " ms), or no latency would be measured");
        }
    }

    /** Always online. */
    public LoadSettings(final Profile profile, final double ratePerDevice, final int qos, final MqttVersion mqttVersion,
                        final String mqttUrl, final int maxInflight, final Duration duration, final long countPerDevice,
                        final Duration drainTimeout, final boolean cleanSession, final long seed,
                        final Duration connectTimeout) {
        this(profile, ratePerDevice, qos, mqttVersion, mqttUrl, maxInflight, duration, countPerDevice, drainTimeout,
                cleanSession, seed, connectTimeout, null, Duration.ZERO);
    }

    ConnectionSettings connection() {
        return new ConnectionSettings(mqttUrl, mqttVersion, maxInflight, cleanSession, connectTimeout,
                KEEP_ALIVE_SECONDS);
    }

    /** Readings per device this run may publish at most. */
    long limitPerDevice() {
        return countPerDevice > 0 ? countPerDevice : Long.MAX_VALUE;
    }
}
