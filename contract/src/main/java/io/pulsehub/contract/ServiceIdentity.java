package io.pulsehub.contract;

/**
 * The bridge's MQTT identity. The username contains ':' so that no device id, which cannot, is ever mistaken for it.
 */
public final class ServiceIdentity {

    public static final String BRIDGE_USERNAME = "service:bridge";
    public static final String SERVICE_TOKEN_ENV = "HUB_SERVICE_TOKEN";

    private ServiceIdentity() {
    }
}
