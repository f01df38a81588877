package io.pulsehub.contract;

/** The retained payloads the hub publishes on {@code devices/{id}/presence}. */
public final class Presence {

    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    private Presence() {
    }
}
