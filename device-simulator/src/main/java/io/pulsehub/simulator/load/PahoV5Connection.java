package io.pulsehub.simulator.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pulsehub.contract.MqttSockets;
import io.pulsehub.simulator.credentials.DeviceCredentials;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.TimerPingSender;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A device over MQTT 5 (Paho mqttv5): the hub can refuse a publish with a reason code and a reason string. */
final class PahoV5Connection implements DeviceConnection {

    private static final Logger log = LoggerFactory.getLogger(PahoV5Connection.class);
    /** Long enough to outlive a hub restart, so unacknowledged publishes are resent into the same session. */
    private static final long SESSION_EXPIRY_SECONDS = 300;

    private final DeviceCredentials device;
    private final MqttAsyncClient client;
    private final ConnectionEvents events;
    /** Set while a loss is reported and not yet followed by a reconnect, so each loss is reported once. */
    private final AtomicBoolean down = new AtomicBoolean();
    /** Set between {@link #goOffline()} and the next successful {@link #connect()}. */
    private volatile boolean offline;
    /** The MQTT 5 default when the CONNACK carries no Receive Maximum. */
    private volatile int receiveMaximum = 65_535;
    private final MqttConnectionOptions options;

    PahoV5Connection(final ConnectionSettings settings, final DeviceCredentials device,
                     final ScheduledExecutorService pings, final ConnectionEvents events) {
        this.device = device;
        this.events = events;
        try {
            this.client = new MqttAsyncClient(settings.mqttUrl(), device.id(), new MemoryPersistence(),
                    new TimerPingSender(pings), null);
        } catch (final MqttException e) {
            throw new IllegalArgumentException("cannot create an MQTT client for " + settings.mqttUrl() + ": "
                    + e.getMessage(), e);
        }
        options = new MqttConnectionOptions();
        options.setUserName(device.id());
        options.setPassword(device.token().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(settings.cleanSession());
        options.setSessionExpiryInterval(settings.cleanSession() ? 0L : SESSION_EXPIRY_SECONDS);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout((int) settings.connectTimeout().toSeconds());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setSocketFactory(MqttSockets.forServer(settings.mqttUrl()));
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(final MqttDisconnectResponse response) {
                final String reason = response.getException() != null
                        ? ReasonCodes.rootMessage(response.getException())
                        : ReasonCodes.mqtt5(response.getReturnCode(), response.getReasonString());
                lost(reason);
            }

            @Override
            public void mqttErrorOccurred(final MqttException exception) {
                log.debug("Device {}: MQTT error: {}", device.id(), exception.getMessage());
            }

            @Override
            public void messageArrived(final String topic, final MqttMessage message) {
                // a device of the simulator subscribes to nothing
            }

            @Override
            public void deliveryComplete(final IMqttToken token) {
                // outcomes are reported per publish through its action listener
            }

            @Override
            public void connectComplete(final boolean reconnect, final String serverUri) {
                if (down.compareAndSet(true, false)) {
                    events.restored(device.id());
                }
            }

            @Override
            public void authPacketArrived(final int reasonCode, final MqttProperties properties) {
                // no enhanced authentication
            }
        });
    }

    @Override
    public CompletableFuture<Void> connect() {
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(final IMqttToken token) {
                    final MqttProperties properties = token.getResponseProperties();
                    if (properties != null && properties.getReceiveMaximum() != null) {
                        receiveMaximum = properties.getReceiveMaximum();
                    }
                    offline = false;
                    connected.complete(null);
                }

                @Override
                public void onFailure(final IMqttToken token, final Throwable failure) {
                    connected.completeExceptionally(connectFailure(token, failure));
                }
            });
        } catch (final MqttException e) {
            connected.completeExceptionally(connectFailure(null, e));
        }
        return connected;
    }

    private ConnectFailure connectFailure(final IMqttToken token, final Throwable failure) {
        if (failure instanceof MqttException mqtt) {
            final int code = mqtt.getReasonCode();
            if (ReasonCodes.isUnreachable(code)) {
                return new ConnectFailure(ReasonCodes.rootMessage(failure), true, failure);
            }
            if (ReasonCodes.isFailure(code) && code < 0x100) {
                return new ConnectFailure("refused by the hub: " + ReasonCodes.mqtt5(code, reasonString(token)),
                        false, failure);
            }
            if (code == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
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
        return receiveMaximum;
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public boolean publish(final String topic, final byte[] payload, final int qos, final PublishCallback callback) {
        try {
            client.publish(topic, payload, qos, false, null, new MqttActionListener() {
                @Override
                public void onSuccess(final IMqttToken token) {
                    // Paho completes a publish normally even when the PUBACK or PUBCOMP carries a failure code.
                    final int[] codes = token.getReasonCodes();
                    final int code = codes == null || codes.length == 0 ? 0 : codes[codes.length - 1];
                    if (ReasonCodes.isFailure(code)) {
                        callback.refused(ReasonCodes.mqtt5(code, reasonString(token)));
                    } else {
                        callback.acknowledged();
                    }
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
            // Window full (the hub's Receive Maximum or --max-inflight) or not connected: retried on the next turn.
            log.trace("Device {} could not publish now: {}", device.id(), e.getMessage());
            return false;
        }
    }

    private static String reasonString(final IMqttToken token) {
        if (token == null) {
            return null;
        }
        final MqttProperties properties = token.getResponseProperties();
        return properties == null ? null : properties.getReasonString();
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
        return "device " + device.id() + " over MQTT 5";
    }
}
