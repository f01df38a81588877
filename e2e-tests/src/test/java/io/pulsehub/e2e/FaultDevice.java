package io.pulsehub.e2e;

/** A device of the fault load: one connection, one publish at a time, each attempt answered by an {@link Attempt}. */
interface FaultDevice extends AutoCloseable {

    enum Outcome {
        /** PUBACK with a success code: the hub has the reading. */
        ACKED,
        /** MQTT 5 negative PUBACK: the hub refused with a reason code and string; the device may send again. */
        REFUSED,
        /** The connection ended before the PUBACK (MQTT 3.1.1 has no negative PUBACK: this is its refusal). */
        DISCONNECTED,
        /** No answer in time; the reading may or may not be stored, so the device sends it again. */
        NO_ANSWER
    }

    record Attempt(Outcome outcome, String reason) {
    }

    String id();

    String protocol();

    boolean isConnected();

    /** One connection attempt; false when the hub refused or could not be reached. */
    boolean connect();

    Attempt publish(byte[] payload);

    @Override
    void close();
}
