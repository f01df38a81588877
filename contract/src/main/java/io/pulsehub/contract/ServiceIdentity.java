package io.pulsehub.contract;

/**
 * The bridge's MQTT identity. The username contains ':' so that no device id, which cannot, is ever mistaken for it.
 */
public final class ServiceIdentity {

    public static final String BRIDGE_USERNAME = "service:bridge";
    public static final String SERVICE_TOKEN_ENV = "HUB_SERVICE_TOKEN";
    /**
     * Client ids the hub's services use (the bridge: {@code service:bridge:{consumer}}). The broker refuses any other
     * login with such a client id, so nobody can take over a service's session; a device id cannot contain ':', so
     * no device is ever affected.
     */
    public static final String RESERVED_CLIENT_ID_PREFIX = "service:";

    /** The MQTT client id of the bridge whose consumer name in the group is {@code consumer}. */
    public static String bridgeClientId(final String consumer) {
        return RESERVED_CLIENT_ID_PREFIX + "bridge:" + consumer;
    }

    private ServiceIdentity() {
    }
}
