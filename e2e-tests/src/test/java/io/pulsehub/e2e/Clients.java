package io.pulsehub.e2e;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Real Paho clients logged in the way devices and apps log in. */
final class Clients {

    private static final int TIMEOUT_MS = 15_000;

    private Clients() {
    }

    static MqttAsyncClient deviceV5(final Hub hub, final String deviceId, final String token) throws MqttException {
        return connectV5(hub, deviceId, deviceId, token);
    }

    static MqttAsyncClient appV5(final Hub hub, final String jwt) throws MqttException {
        return connectV5(hub, "app-" + UUID.randomUUID(), "app", jwt);
    }

    static MqttAsyncClient connectV5(final Hub hub, final String clientId, final String username, final String password)
            throws MqttException {
        final MqttAsyncClient client = new MqttAsyncClient(hub.mqttUrl(), clientId,
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(username);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        client.connect(options).waitForCompletion(TIMEOUT_MS);
        return client;
    }

    static MqttClient deviceV3(final Hub hub, final String deviceId, final String token)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        final MqttClient client = new MqttClient(hub.mqttUrl(), deviceId,
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(deviceId);
        options.setPassword(token.toCharArray());
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        client.setTimeToWait(TIMEOUT_MS);
        client.connect(options);
        return client;
    }

    static void closeQuietly(final MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TIMEOUT_MS);
            }
            client.close();
        } catch (final MqttException e) {
            // Already gone: nothing to release.
        }
    }
}
