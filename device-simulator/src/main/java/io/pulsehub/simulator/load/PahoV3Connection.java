package io.pulsehub.simulator.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pulsehub.contract.MqttSockets;
import io.pulsehub.simulator.credentials.DeviceCredentials;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A device over MQTT 3.1.1 (Paho mqttv3). There is no negative PUBACK: the hub disconnects instead. */
final class PahoV3Connection implements DeviceConnection {

    private static final Logger log = LoggerFactory.getLogger(PahoV3Connection.class);

    private final DeviceCredentials device;
    private final MqttAsyncClient client;
    private final ConnectionEvents events;
    /** Set while a loss is reported and not yet followed by a reconnect, so each loss is reported once. */
    private final AtomicBoolean down = new AtomicBoolean();
    /** Set between {@link #goOffline()} and the next successful {@link #connect()}. */
    private volatile boolean offline;
    private final MqttConnectOptions options;

    PahoV3Connection(final ConnectionSettings settings, final DeviceCredentials device,
                     final ScheduledExecutorService pings, final ConnectionEvents events) {
        this.device = device;
        this.events = events;
        try {
            // Memory persistence: Paho's default writes files into the working directory.
            this.client = new MqttAsyncClient(settings.mqttUrl(), device.id(), new MemoryPersistence(),
                    new ScheduledExecutorPingSender(pings), null);
        } catch (final MqttException e) {
            throw new IllegalArgumentException("cannot create an MQTT client for " + settings.mqttUrl() + ": "
                    + e.getMessage(), e);
        }
        options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(device.id());
        options.setPassword(device.token().toCharArray());
        // A persistent session makes Paho resend unacknowledged publishes after a reconnect, as a device must when
        // the hub disconnected it instead of acknowledging (MQTT 3.1.1 has no negative PUBACK).
        options.setCleanSession(settings.cleanSession());
        options.setAutomaticReconnect(true);
        options.setMaxInflight(settings.maxInflight());
        options.setConnectionTimeout((int) settings.connectTimeout().toSeconds());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setSocketFactory(MqttSockets.forServer(settings.mqttUrl()));
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(final boolean reconnect, final String serverUri) {
                if (down.compareAndSet(true, false)) {
                    events.restored(device.id());
                }
            }

            @Override
            public void connectionLost(final Throwable cause) {
                lost(ReasonCodes.rootMessage(cause));
            }

            @Override
            public void messageArrived(final String topic, final MqttMessage message) {
                // a device of the simulator subscribes to nothing
            }

            @Override
            public void deliveryComplete(final IMqttDeliveryToken token) {
                // outcomes are reported per publish through its action listener
            }
        });
    }

    @Override
    public CompletableFuture<Void> connect() {
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(final IMqttToken token) {
                    offline = false;
                    connected.complete(null);
                }

                @Override
                public void onFailure(final IMqttToken token, final Throwable failure) {
                    connected.completeExceptionally(connectFailure(failure));
                }
            });
        } catch (final MqttException e) {
            connected.completeExceptionally(connectFailure(e));
        }
        return connected;
    }

    private ConnectFailure connectFailure(final Throwable failure) {
        if (failure instanceof MqttException mqtt) {
            final int code = mqtt.getReasonCode();
            if (ReasonCodes.isUnreachable(code)) {
                return new ConnectFailure(ReasonCodes.rootMessage(failure), true, failure);
            }
            if (code > 0 && code < 6) {
                return new ConnectFailure("refused by the hub: " + ReasonCodes.mqtt3Connack(code), false, failure);
            }
            if (code == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
                return new ConnectFailure("no CONNACK within " + options.getConnectionTimeout() + " s", true,
                        failure);
            }
        }
        return new ConnectFailure(ReasonCodes.rootMessage(failure), false, failure);
    }

    private void lost(final String reason) {
        // A device that went offline on purpose lost nothing.
        if (!offline && down.compareAndSet(false, true)) {
            events.lost(device.id(), reason);
        }
    }

    @Override
    public int hubInFlightLimit() {
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public boolean publish(final String topic, final byte[] payload, final int qos, final PublishCallback callback) {
        try {
            client.publish(topic, payload, qos, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(final IMqttToken token) {
                    callback.acknowledged();
                }

                @Override
                public void onFailure(final IMqttToken token, final Throwable failure) {
                    if (client.isConnected()) {
                        callback.failed(ReasonCodes.rootMessage(failure));
                    } else {
                        // Paho fails the in-flight publishes before it reports the loss itself (if it does before
                        // the run closes the client), so the loss is reported first from here.
                        lost(ReasonCodes.rootMessage(failure));
                        callback.failed(ReasonCodes.CONNECTION_LOST);
                    }
                }
            });
            return true;
        } catch (final MqttException e) {
            // Window full or not connected right now: the device retries on its next turn.
            log.trace("Device {} could not publish now: {}", device.id(), e.getMessage());
            return false;
        }
    }

    @Override
    public void goOffline() {
        offline = true;
        disconnect();
    }

    @Override
    public void close() {
        down.set(true); // what happens to the connection from here on is no loss
        disconnect();
        try {
            client.close(true);
        } catch (final MqttException e) {
            log.debug("Device {} did not close cleanly: {}", device.id(), e.getMessage());
        }
    }

    private void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(1000);
            }
        } catch (final MqttException e) {
            log.debug("Device {} did not disconnect cleanly: {}", device.id(), e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "device " + device.id() + " over MQTT 3.1.1";
    }
}
