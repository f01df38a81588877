package io.pulsehub.contract;

/**
 * Credential changes the broker must act on at once. The bridge publishes the device id on {@link #CHANNEL} after it
 * rotated a device's token or removed the device; every broker node subscribed to the channel disconnects that
 * device's client, so old credentials stop working within a second on every node.
 */
public final class Revocations {

    public static final String CHANNEL = "pulsehub:revocations";

    private Revocations() {
    }
}
