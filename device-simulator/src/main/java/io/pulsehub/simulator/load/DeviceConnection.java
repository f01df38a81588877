package io.pulsehub.simulator.load;

import java.util.concurrent.CompletableFuture;

/** One device's MQTT connection, whichever the protocol version. */
interface DeviceConnection {

    /** Completes when the hub accepted the device, or exceptionally with a {@link ConnectFailure}. */
    CompletableFuture<Void> connect();

    boolean isConnected();

    /**
     * How many unacknowledged publishes the hub accepts from this client: MQTT 5's Receive Maximum from the CONNACK,
     * unlimited for MQTT 3.1.1.
     */
    int hubInFlightLimit();

    /**
     * Hands one message to the client without waiting for the network.
     *
     * @return false when the client cannot take it now (not connected, its in-flight window is full); the callback
     *         is then never called
     */
    boolean publish(String topic, byte[] payload, int qos, PublishCallback callback);

    /**
     * Disconnects on purpose, as a device that goes offline: no connection loss is reported and the client does not
     * reconnect by itself; {@link #connect()} brings it back. Waits at most a second or two.
     */
    void goOffline();

    /** Disconnects cleanly if connected and releases the client's threads; waits at most a second or two. */
    void close();

    /** How one publish ended. Called on the client's callback thread, exactly once per accepted publish. */
    interface PublishCallback {
        /** The hub acknowledged it (PUBACK or PUBCOMP with a success code; QoS 0: written to the network). */
        void acknowledged();

        /** The hub answered with a failure reason code (MQTT 5 only). */
        void refused(String reason);

        /** No answer will come, e.g. the session was lost. */
        void failed(String reason);
    }

    /** Connection losses and recoveries after the first connect; the client reconnects by itself. */
    interface ConnectionEvents {
        void lost(String deviceId, String reason);

        void restored(String deviceId);
    }
}
