package io.pulsehub.simulator.load;

import java.time.Duration;

/** How every device connects; derived from {@link LoadSettings}. */
record ConnectionSettings(String mqttUrl, MqttVersion version, int maxInflight, boolean cleanSession,
                          Duration connectTimeout, int keepAliveSeconds) {
}
