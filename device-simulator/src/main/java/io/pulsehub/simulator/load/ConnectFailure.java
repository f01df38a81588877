package io.pulsehub.simulator.load;

/** Why a device could not connect: the hub was unreachable, or it answered and refused the device. */
final class ConnectFailure extends Exception {

    private final boolean unreachable;

    ConnectFailure(final String reason, final boolean unreachable, final Throwable cause) {
        super(reason, cause);
        this.unreachable = unreachable;
    }

    /** True when no MQTT server answered at all; false when one answered and refused. */
    boolean unreachable() {
        return unreachable;
    }
}
