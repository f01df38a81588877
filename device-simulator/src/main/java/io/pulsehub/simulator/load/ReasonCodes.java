package io.pulsehub.simulator.load;

import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttException;

/** Readable names for the reason and return codes the hub may answer with, and for Paho's own failure codes. */
final class ReasonCodes {

    /** MQTT 5 reason codes that CONNACK, PUBACK, PUBREC and SUBACK use for failures. */
    private static final Map<Integer, String> MQTT5 = Map.ofEntries(
            Map.entry(0x80, "unspecified error"),
            Map.entry(0x81, "malformed packet"),
            Map.entry(0x82, "protocol error"),
            Map.entry(0x83, "implementation specific error"),
            Map.entry(0x84, "unsupported protocol version"),
            Map.entry(0x85, "client identifier not valid"),
            Map.entry(0x86, "bad user name or password"),
            Map.entry(0x87, "not authorized"),
            Map.entry(0x88, "server unavailable"),
            Map.entry(0x89, "server busy"),
            Map.entry(0x8A, "banned"),
            Map.entry(0x8C, "bad authentication method"),
            Map.entry(0x8F, "topic filter invalid"),
            Map.entry(0x90, "topic name invalid"),
            Map.entry(0x91, "packet identifier in use"),
            Map.entry(0x95, "packet too large"),
            Map.entry(0x97, "quota exceeded"),
            Map.entry(0x99, "payload format invalid"),
            Map.entry(0x9E, "shared subscriptions not supported"),
            Map.entry(0x9F, "connection rate exceeded"),
            Map.entry(0xA1, "subscription identifiers not supported"),
            Map.entry(0xA2, "wildcard subscriptions not supported"));

    /** MQTT 3.1.1 CONNACK return codes. */
    private static final Map<Integer, String> MQTT3_CONNACK = Map.of(
            1, "unacceptable protocol version",
            2, "identifier rejected",
            3, "server unavailable",
            4, "bad user name or password",
            5, "not authorized");

    /**
     * Why a publish failed when its connection broke before the answer came; the details are reported with the
     * connection loss. Paho may still resend it after reconnecting (persistent session), but the simulator cannot
     * tell whether the hub then took it, so it never counts as acknowledged.
     */
    static final String CONNECTION_LOST = "connection lost before the acknowledgement";

    private ReasonCodes() {
    }

    static boolean isFailure(final int mqtt5ReasonCode) {
        return mqtt5ReasonCode >= 0x80;
    }

    static String mqtt5(final int code, final String reasonString) {
        final String name = MQTT5.getOrDefault(code, "reason code 0x" + Integer.toHexString(code));
        return reasonString == null || reasonString.isBlank() ? name : name + ": " + reasonString;
    }

    static String mqtt3Connack(final int code) {
        return MQTT3_CONNACK.getOrDefault(code, "return code " + code);
    }

    /** True for Paho's "could not open a connection to the server" (both clients use the same code). */
    static boolean isUnreachable(final int pahoReasonCode) {
        return pahoReasonCode == MqttException.REASON_CODE_SERVER_CONNECT_ERROR;
    }

    /** The root cause's message, e.g. "Connection refused", which says more than Paho's wrapper. */
    static String rootMessage(final Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
