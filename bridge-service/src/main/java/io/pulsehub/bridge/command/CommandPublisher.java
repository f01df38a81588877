package io.pulsehub.bridge.command;

/** Hands a command to a device over MQTT: {@code devices/{id}/commands/{name}}, QoS 1, not retained. */
public interface CommandPublisher {

    /**
     * Returns once the broker has the message; a device that is offline with a persistent session gets it when it
     * reconnects.
     *
     * @param payload sent exactly as given
     * @return the topic it was published to
     * @throws CommandPublishException when the broker is unreachable or refused it
     */
    String publish(String deviceId, String name, byte[] payload) throws CommandPublishException;
}
