package io.pulsehub.e2e;

import io.pulsehub.contract.Topics;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An MQTT 3.1.1 device with a persistent session: there is no negative PUBACK, so the hub disconnects it when it
 * cannot store a reading, and the device sends the reading again after reconnecting.
 */
final class FaultDeviceV3 implements FaultDevice {

    private static final int ANSWER_WITHIN_MS = 30_000;

    private final String id;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();

    FaultDeviceV3(final String mqttUrl, final String id, final String token) throws MqttException {
        this.id = id;
        this.client = new MqttAsyncClient(mqttUrl, id, new MemoryPersistence());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(id);
        options.setPassword(token.toCharArray());
        options.setCleanSession(false);
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
        return "MQTT 3.1.1";
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
            final IMqttDeliveryToken token = client.publish(Topics.telemetry(id), payload, 1, false);
            token.waitForCompletion(ANSWER_WITHIN_MS);
            return new Attempt(Outcome.ACKED, null);
        } catch (final MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                return new Attempt(Outcome.NO_ANSWER, "no PUBACK within " + ANSWER_WITHIN_MS + " ms");
            }
            return new Attempt(Outcome.DISCONNECTED, "disconnected before the PUBACK: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(10_000);
            }
            client.close();
        } catch (final MqttException e) {
            // Already gone: nothing to release.
        }
    }
}
