package io.pulsehub.simulator.load;

import java.util.concurrent.ScheduledExecutorService;

import io.pulsehub.simulator.CannotStartException;
import io.pulsehub.simulator.credentials.DeviceCredentials;

/** Creates the Paho client of the configured protocol version for a device. */
final class DeviceConnections {

    private DeviceConnections() {
    }

    /**
     * @param pings shared by all clients for keep-alive pings, so a client costs three threads instead of four
     * @throws CannotStartException when the MQTT URL is unusable
     */
    static DeviceConnection create(final ConnectionSettings settings, final DeviceCredentials device,
                                   final ScheduledExecutorService pings,
                                   final DeviceConnection.ConnectionEvents events) {
        try {
            return switch (settings.version()) {
                case V3_1_1 -> new PahoV3Connection(settings, device, pings, events);
                case V5 -> new PahoV5Connection(settings, device, pings, events);
            };
        } catch (final IllegalArgumentException e) {
            throw new CannotStartException("cannot use MQTT URL '" + settings.mqttUrl() + "': " + e.getMessage(), e);
        }
    }
}
