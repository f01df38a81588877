package io.pulsehub.simulator.watch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.MqttSockets;
import io.pulsehub.simulator.CannotStartException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app's view of the hub: logs in with an app token over MQTT 5, subscribes to aggregate topics and prints each
 * aggregate as it arrives. Re-subscribes after a reconnect, since its session is clean.
 */
public final class AggregateWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AggregateWatcher.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final List<String> filters;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ZoneId zone;
    private final String mqttUrl;

    public AggregateWatcher(final String mqttUrl, final String username, final String appToken,
                            final List<String> filters, final PrintWriter out, final PrintWriter err,
                            final ZoneId zone) {
        this.filters = List.copyOf(filters);
        this.out = out;
        this.err = err;
        this.zone = zone;
        this.mqttUrl = mqttUrl;
        try {
            client = new MqttAsyncClient(mqttUrl, "app-" + UUID.randomUUID(), new MemoryPersistence());
        } catch (final MqttException | IllegalArgumentException e) {
            throw new CannotStartException("cannot use MQTT URL '" + mqttUrl + "': " + e.getMessage(), e);
        }
        options = new MqttConnectionOptions();
        options.setUserName(username);
        options.setPassword(appToken.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout((int) TIMEOUT.toSeconds());
        options.setSocketFactory(MqttSockets.forServer(mqttUrl));
        client.setCallback(new Callback());
    }

    /**
     * Connects and subscribes.
     *
     * @return the refused subscriptions, each with its reason; empty when all were granted
     * @throws CannotStartException when the hub is unreachable or refuses the app's login
     */
    public List<String> start() {
        try {
            client.connect(options).waitForCompletion(TIMEOUT.toMillis() * 2);
        } catch (final MqttException e) {
            final String reason = e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getCause().getMessage() : describe(e);
            if (e.getReasonCode() == MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR) {
                throw new CannotStartException("cannot reach the hub at " + mqttUrl + " (" + reason
                        + "); is it running? Set --mqtt-url or HUB_MQTT_URL", e);
            }
            if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
                throw new CannotStartException("no answer from the hub at " + mqttUrl + " within "
                        + TIMEOUT.multipliedBy(2).toSeconds() + " s", e);
            }
            throw new CannotStartException("the hub refused the app's login at " + mqttUrl + ": " + reason, e);
        }
        return subscribe();
    }

    private List<String> subscribe() {
        final MqttSubscription[] subscriptions = filters.stream()
                .map(filter -> new MqttSubscription(filter, 1))
                .toArray(MqttSubscription[]::new);
        final IMqttToken token;
        try {
            token = client.subscribe(subscriptions);
            token.waitForCompletion(TIMEOUT.toMillis());
        } catch (final MqttException e) {
            throw new CannotStartException("subscribing to " + String.join(", ", filters) + " failed: "
                    + describe(e), e);
        }
        final int[] codes = token.getReasonCodes();
        final MqttProperties properties = token.getResponseProperties();
        final String reasonString = properties == null ? null : properties.getReasonString();
        final List<String> refused = new ArrayList<>();
        for (int index = 0; index < filters.size(); index++) {
            final int code = codes != null && index < codes.length ? codes[index] : 0x80;
            if (code >= 0x80) {
                refused.add(filters.get(index) + ": " + subackReason(code)
                        + (reasonString == null || reasonString.isBlank() ? "" : " (" + reasonString + ")"));
            }
        }
        return refused;
    }

    private void resubscribe() {
        try {
            subscribe().forEach(refused -> err.println("subscription refused: " + refused));
        } catch (final RuntimeException e) {
            err.println("subscribing again failed: " + e.getMessage());
        }
        err.flush();
    }

    private static String subackReason(final int code) {
        return switch (code) {
            case 0x87 -> "not authorized";
            case 0x8F -> "topic filter invalid";
            case 0x97 -> "quota exceeded";
            case 0x9E -> "shared subscriptions not supported";
            case 0xA2 -> "wildcard subscriptions not supported";
            case 0x83 -> "implementation specific error";
            default -> "reason code 0x" + Integer.toHexString(code);
        };
    }

    private static String describe(final MqttException e) {
        final String message = e.getMessage();
        return message == null || message.isBlank() ? "reason code " + e.getReasonCode() : message;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(1000);
            }
        } catch (final MqttException e) {
            log.debug("Watcher did not disconnect cleanly: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (final MqttException e) {
            log.debug("Watcher did not close cleanly: {}", e.getMessage());
        }
    }

    private final class Callback implements MqttCallback {

        @Override
        public void messageArrived(final String topic, final MqttMessage message) {
            try {
                final Aggregate aggregate = Aggregate.fromJson(message.getPayload());
                out.println(AggregateLine.format(aggregate, message.isRetained(), zone));
                out.flush();
            } catch (final IOException | RuntimeException e) {
                err.println("unreadable aggregate on " + topic + ": " + e.getMessage());
                err.flush();
            }
        }

        @Override
        public void connectComplete(final boolean reconnect, final String serverUri) {
            if (reconnect) {
                err.println("reconnected to " + serverUri + "; subscribing again");
                err.flush();
                // Not on this callback thread: waiting for the SUBACK here would block the thread that delivers it.
                final Thread resubscribe = new Thread(AggregateWatcher.this::resubscribe, "watch-resubscribe");
                resubscribe.setDaemon(true);
                resubscribe.start();
            }
        }

        @Override
        public void disconnected(final MqttDisconnectResponse response) {
            err.println("lost the connection to the hub ("
                    + (response.getException() != null ? response.getException().getMessage()
                    : "reason code 0x" + Integer.toHexString(response.getReturnCode())) + "); reconnecting");
            err.flush();
        }

        @Override
        public void mqttErrorOccurred(final MqttException exception) {
            log.debug("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(final IMqttToken token) {
            // the watcher publishes nothing
        }

        @Override
        public void authPacketArrived(final int reasonCode, final MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
