package io.pulsehub.e2e;

import io.pulsehub.contract.Topics;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;

/** An MQTT 5 device: a refused publish comes back as a negative PUBACK with a reason string. */
final class FaultDeviceV5 implements FaultDevice {

    private static final int ANSWER_WITHIN_MS = 30_000;

    private final String id;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();

    FaultDeviceV5(final String mqttUrl, final String id, final String token) throws MqttException {
        this.id = id;
        this.client = new MqttAsyncClient(mqttUrl, id, new MemoryPersistence());
        options.setUserName(id);
        options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        // The load resends by itself; a clean start keeps Paho from resending stale in-flight messages as well.
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(10);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return "MQTT 5";
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public boolean connect() {
        try {
            client.connect(options).waitForCompletion(10_000);
            return true;
        } catch (final MqttException e) {
            return client.isConnected();
        }
    }

    @Override
    public Attempt publish(final byte[] payload) {
        try {
            final IMqttToken token = client.publish(Topics.telemetry(id), new MqttMessage(payload, 1, false, null));
            token.waitForCompletion(ANSWER_WITHIN_MS);
            final int[] codes = token.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                final String reason = token.getResponseProperties() == null ? null
                        : token.getResponseProperties().getReasonString();
                return new Attempt(Outcome.REFUSED, String.format("0x%02X %s", codes[0], reason));
            }
            return new Attempt(Outcome.ACKED, null);
        } catch (final MqttException e) {
            if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
                return new Attempt(Outcome.NO_ANSWER, "no PUBACK within " + ANSWER_WITHIN_MS + " ms");
            }
            if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                // Paho had not yet released the slot of an earlier publish that ended without a PUBACK.
                return new Attempt(Outcome.NO_ANSWER, "not sent: Paho's in-flight window was still full");
            }
            return new Attempt(Outcome.DISCONNECTED, e.getMessage());
        }
    }

    @Override
    public void close() {
        Clients.closeQuietly(client);
    }
}
