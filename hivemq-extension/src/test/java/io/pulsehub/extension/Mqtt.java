package io.pulsehub.extension;

import io.pulsehub.contract.ServiceIdentity;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Real Paho clients, MQTT 3.1.1 and 5, as devices, apps and the bridge use them. */
final class Mqtt {

    static final long TIMEOUT_MILLIS = 10_000;
    private static final long DISCONNECT_MILLIS = 1_000;
    private static final AtomicInteger APP_COUNTER = new AtomicInteger();

    private Mqtt() {
    }

    static String appClientId() {
        return "app-" + APP_COUNTER.incrementAndGet();
    }

    static void requireServiceLogin(final String url) {
        try {
            disconnect(v5(url, "service-probe-" + APP_COUNTER.incrementAndGet(), ServiceIdentity.BRIDGE_USERNAME,
                    EmbeddedHub.SERVICE_TOKEN));
        } catch (final MqttException e) {
            throw new IllegalStateException("the PulseHub extension does not answer at " + url + ": " + e, e);
        }
    }

    /** Some MQTT broker answers CONNECT on this port, whatever it decides. */
    static void requireConnack(final String url) {
        try {
            disconnect(v5(url, "probe-" + APP_COUNTER.incrementAndGet(), "probe", "probe"));
        } catch (final MqttException e) {
            // Paho's own failures (no connection, timeout) use codes far above any CONNACK reason code.
            if (e.getReasonCode() > 0xFF) {
                throw new IllegalStateException("no MQTT broker answers at " + url + ": " + e, e);
            }
        }
    }

    static org.eclipse.paho.mqttv5.client.MqttAsyncClient v5(final String url, final String clientId,
                                                             final String user, final String password)
            throws MqttException {
        final org.eclipse.paho.mqttv5.client.MqttAsyncClient client =
                new org.eclipse.paho.mqttv5.client.MqttAsyncClient(url, clientId,
                        new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        final MqttConnectionOptions options = new MqttConnectionOptions();
        if (user != null) {
            options.setUserName(user);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        try {
            client.connect(options).waitForCompletion(TIMEOUT_MILLIS);
        } catch (final MqttException e) {
            closeQuietly(client);
            throw e;
        }
        return client;
    }

    /** The CONNACK reason code an MQTT 5 login is refused with; fails if it is accepted. */
    static int v5Refusal(final String url, final String clientId, final String user, final String password) {
        try {
            disconnect(v5(url, clientId, user, password));
        } catch (final MqttException e) {
            return e.getReasonCode();
        }
        throw new AssertionError("MQTT 5 login of '" + clientId + "' was accepted");
    }

    /** An MQTT 3.1.1 client that records what happens to it. */
    static final class V3 implements MqttCallback {

        final MqttAsyncClient client;
        final MqttConnectOptions options = new MqttConnectOptions();
        final List<Integer> acknowledged = new CopyOnWriteArrayList<>();
        final List<Throwable> connectionLost = new CopyOnWriteArrayList<>();
        final List<String> received = new CopyOnWriteArrayList<>();

        V3(final String url, final String clientId, final String user, final String password,
           final boolean cleanSession) throws org.eclipse.paho.client.mqttv3.MqttException {
            client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            client.setCallback(this);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            if (user != null) {
                options.setUserName(user);
            }
            if (password != null) {
                options.setPassword(password.toCharArray());
            }
            options.setCleanSession(cleanSession);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(10);
        }

        V3 connect() throws org.eclipse.paho.client.mqttv3.MqttException {
            client.connect(options).waitForCompletion(TIMEOUT_MILLIS);
            return this;
        }

        IMqttDeliveryToken publish(final String topic, final String payload, final int qos)
                throws org.eclipse.paho.client.mqttv3.MqttException {
            return client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
        }

        @Override
        public void connectionLost(final Throwable cause) {
            connectionLost.add(cause);
        }

        @Override
        public void messageArrived(final String topic, final MqttMessage message) {
            received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(final IMqttDeliveryToken token) {
            acknowledged.add(token.getMessageId());
        }

        void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
                }
            } catch (final org.eclipse.paho.client.mqttv3.MqttException ignored) {
                // already gone
            }
            try {
                client.close(true);
            } catch (final org.eclipse.paho.client.mqttv3.MqttException ignored) {
                // already closed
            }
        }
    }

    static V3 v3(final String url, final String clientId, final String user, final String password)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        return new V3(url, clientId, user, password, true).connect();
    }

    /** The CONNACK return code an MQTT 3.1.1 login is refused with; fails if it is accepted. */
    static int v3Refusal(final String url, final String clientId, final String user, final String password)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        final V3 client = new V3(url, clientId, user, password, true);
        try {
            client.connect();
        } catch (final org.eclipse.paho.client.mqttv3.MqttException e) {
            return e.getReasonCode();
        } finally {
            client.close();
        }
        throw new AssertionError("MQTT 3.1.1 login of '" + clientId + "' was accepted");
    }

    /** What the broker answered to an MQTT 5 publish or subscribe. */
    record Answer(int code, String reason) {
    }

    /** Publishes with QoS 1 and waits for the PUBACK, negative or not. */
    static Answer publish(final org.eclipse.paho.mqttv5.client.MqttAsyncClient client, final String topic,
                          final String payload) throws MqttException {
        return publish(client, topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    static Answer publish(final org.eclipse.paho.mqttv5.client.MqttAsyncClient client, final String topic,
                          final byte[] payload) throws MqttException {
        return answer(client.publish(topic, payload, 1, false));
    }

    /** Every client publishes one QoS 1 reading to its own telemetry topic at once; the answers in client order. */
    static List<Answer> publishAtOnce(final List<org.eclipse.paho.mqttv5.client.MqttAsyncClient> devices,
                                      final String payload) throws MqttException {
        final List<org.eclipse.paho.mqttv5.client.IMqttToken> tokens = new java.util.ArrayList<>();
        for (final org.eclipse.paho.mqttv5.client.MqttAsyncClient device : devices) {
            tokens.add(device.publish(io.pulsehub.contract.Topics.telemetry(device.getClientId()),
                    payload.getBytes(StandardCharsets.UTF_8), 1, false));
        }
        final List<Answer> answers = new java.util.ArrayList<>();
        for (final org.eclipse.paho.mqttv5.client.IMqttToken token : tokens) {
            answers.add(answer(token));
        }
        return answers;
    }

    static Answer subscribe(final org.eclipse.paho.mqttv5.client.MqttAsyncClient client, final String filter)
            throws MqttException {
        return answer(client.subscribe(filter, 1));
    }

    private static Answer answer(final org.eclipse.paho.mqttv5.client.IMqttToken token) throws MqttException {
        try {
            token.waitForCompletion(TIMEOUT_MILLIS);
        } catch (final MqttException e) {
            // Paho completes a token with an exception for a negative answer; the reason code is what counts.
            if (token.getReasonCodes() == null) {
                throw e;
            }
        }
        final int[] codes = token.getReasonCodes();
        final String reason = token.getResponseProperties() == null ? null
                : token.getResponseProperties().getReasonString();
        return new Answer(codes == null || codes.length == 0 ? -1 : codes[0], reason);
    }

    /** Collects the messages an MQTT 5 client receives as "topic payload". */
    static List<String> collect(final org.eclipse.paho.mqttv5.client.MqttAsyncClient client) {
        return watch(client).received();
    }

    /** A DISCONNECT (or lost connection, code -1) an MQTT 5 client saw. */
    record Disconnect(int code, String reason) {
    }

    /** What an MQTT 5 client receives: messages as "topic payload", and how it was disconnected. */
    record Watch(List<String> received, List<Disconnect> disconnects) {
    }

    static Watch watch(final org.eclipse.paho.mqttv5.client.MqttAsyncClient client) {
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<Disconnect> disconnects = new CopyOnWriteArrayList<>();
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(final org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
                disconnects.add(new Disconnect(response.getReturnCode(), response.getReasonString()));
            }

            @Override
            public void mqttErrorOccurred(final MqttException exception) {
            }

            @Override
            public void messageArrived(final String topic,
                                       final org.eclipse.paho.mqttv5.common.MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(final org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(final boolean reconnect, final String serverURI) {
            }

            @Override
            public void authPacketArrived(final int reasonCode,
                                          final org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
            }
        });
        return new Watch(received, disconnects);
    }

    /**
     * Sends DISCONNECT and closes. Bounded: when the broker has just closed the connection itself (HiveMQ does after
     * refusing an MQTT 5 publish), Paho's asynchronous disconnect would never complete.
     */
    static void disconnect(final org.eclipse.paho.mqttv5.client.MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(DISCONNECT_MILLIS);
            }
        } catch (final MqttException ignored) {
            // already gone
        }
        closeQuietly(client);
    }

    private static void closeQuietly(final org.eclipse.paho.mqttv5.client.MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (final MqttException ignored) {
            // already closed
        }
    }
}
