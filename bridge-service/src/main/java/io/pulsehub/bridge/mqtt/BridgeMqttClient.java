package io.pulsehub.bridge.mqtt;

import io.micronaut.context.annotation.Context;
import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.contract.MqttSockets;
import io.pulsehub.contract.ServiceIdentity;
import jakarta.annotation.PreDestroy;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The bridge's one MQTT connection (Paho, MQTT 5) under its service identity, shared by the aggregates and the device
 * commands. Paho reconnects by itself once a connection was established; until then a background task keeps trying,
 * so the bridge starts (and reports the broker DOWN in /health) before the broker is up. Created with the application,
 * not at the first command, so that the connection is there when one comes.
 */
@Context
class BridgeMqttClient {

    /** Why a publish did not reach the broker, or the broker did not take it. */
    static final class PublishFailure extends Exception {

        private final boolean unavailable;

        PublishFailure(final String message, final boolean unavailable, final Throwable cause) {
            super(message, cause);
            this.unavailable = unavailable;
        }

        /** True when the broker could not be reached; false when it answered with a refusal. */
        boolean unavailable() {
            return unavailable;
        }
    }

    /** One message to publish. */
    record Message(String topic, byte[] payload, int qos, boolean retain) {
    }

    private record Sent(String topic, IMqttToken token) {
    }

    /**
     * Publishes unacknowledged at a time on this connection, whoever sends them (aggregates, commands), from the
     * Receive Maximum the broker grants: Paho refuses a publish beyond it outright (32202), so a publish waits for one
     * of the {@code slots} instead. One below the broker's figure, because Paho completes a token before it counts the
     * publish out of flight; one {@link #publishAll} keeps {@code window} of them, leaving one to commands.
     */
    record InFlightLimit(Semaphore slots, int total, int window) {

        static InFlightLimit forReceiveMaximum(final int receiveMaximum) {
            final int total = Math.max(1, Math.min(receiveMaximum, MAX_IN_FLIGHT + 1) - 1);
            return new InFlightLimit(new Semaphore(total), total, Math.max(1, total - 1));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(BridgeMqttClient.class);
    /** What the bridge assumes until the broker's CONNACK says otherwise: HiveMQ's default. */
    private static final int ASSUMED_RECEIVE_MAXIMUM = 10;
    /** Beyond this, more in flight would spend the broker's memory rather than save round trips. */
    private static final int MAX_IN_FLIGHT = 64;
    private static final int RECEIVE_MAXIMUM_UNSTATED = 65_535;
    private static final long IN_FLIGHT_RECHECK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long COMPLETION_TIMEOUT_MILLIS = 10_000;
    private static final long CONNECT_RETRY_MILLIS = 1_000;
    /** MQTT 5 reason codes from 0x80 on are failures (e.g. 0x87 not authorized). */
    private static final int FIRST_FAILURE_REASON = 0x80;

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String url;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "pulsehub-mqtt-connect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile InFlightLimit limit = InFlightLimit.forReceiveMaximum(ASSUMED_RECEIVE_MAXIMUM);
    private volatile boolean everConnected;
    private volatile boolean warnedOnce;

    BridgeMqttClient(final BridgeConfig config) throws MqttException {
        this.url = config.mqttUrl();
        // One client id per consumer: two bridges with the same id would keep taking each other's session over.
        this.client = new MqttAsyncClient(url, ServiceIdentity.bridgeClientId(config.consumerName()), new MemoryPersistence());
        this.options = new MqttConnectionOptions();
        options.setUserName(ServiceIdentity.BRIDGE_USERNAME);
        options.setPassword(config.serviceToken().getBytes(StandardCharsets.UTF_8));
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 5);
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(30);
        // Aggregates go out several at a time: without this each waits for the broker's delayed TCP ACK.
        options.setSocketFactory(MqttSockets.forServer(url));
        connector.scheduleWithFixedDelay(this::connectUntilFirstSuccess, 0, CONNECT_RETRY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void connectUntilFirstSuccess() {
        if (everConnected || client.isConnected()) {
            return;
        }
        try {
            final IMqttToken connected = client.connect(options);
            connected.waitForCompletion(COMPLETION_TIMEOUT_MILLIS);
            // Read once: Paho reconnects by itself and does not show a later CONNACK. A broker restarted with a
            // smaller figure costs only waits (see send), a larger one goes unused until the bridge restarts.
            limit = InFlightLimit.forReceiveMaximum(receiveMaximum(connected));
            everConnected = true;
            log.info("Connected to the MQTT broker at {} as {}; up to {} publishes in flight", url,
                    ServiceIdentity.BRIDGE_USERNAME, limit.total());
            connector.shutdown();
        } catch (final MqttException e) {
            if (!warnedOnce) {
                warnedOnce = true;
                log.warn("MQTT broker at {} not reachable yet ({}); retrying every {} ms", url, e.getMessage(),
                        CONNECT_RETRY_MILLIS);
            }
            log.debug("MQTT connect failed", e);
        }
    }

    /** MQTT 5: a CONNACK without the property grants the maximum, 65535. */
    private static int receiveMaximum(final IMqttToken connack) {
        final MqttProperties properties = connack.getResponseProperties();
        return properties == null || properties.getReceiveMaximum() == null ? RECEIVE_MAXIMUM_UNSTATED
                : properties.getReceiveMaximum();
    }

    /** Returns once the broker acknowledged the message (QoS 1 and 2) or it was sent (QoS 0). */
    void publish(final String topic, final byte[] payload, final int qos, final boolean retain)
            throws PublishFailure {
        publishAll(List.of(new Message(topic, payload, qos, retain)));
    }

    /**
     * Sends the messages in order with up to {@link InFlightLimit#window} unacknowledged at a time and returns once
     * the broker acknowledged every one; the first failure ends it (what was sent before may have arrived).
     */
    void publishAll(final List<Message> messages) throws PublishFailure {
        if (!client.isConnected()) {
            throw new PublishFailure("not connected to the MQTT broker at " + url, true, null);
        }
        // Slots go back to the limit they were taken from, also if the first connection replaces it meanwhile.
        final InFlightLimit taken = limit;
        final Deque<Sent> window = new ArrayDeque<>(taken.window());
        try {
            for (final Message message : messages) {
                if (window.size() == taken.window()) {
                    awaitAcknowledged(window.removeFirst(), taken);
                }
                takeSlot(message.topic(), taken);
                try {
                    window.addLast(new Sent(message.topic(), send(message)));
                } catch (final PublishFailure e) {
                    taken.slots().release();
                    throw e;
                }
            }
            while (!window.isEmpty()) {
                awaitAcknowledged(window.removeFirst(), taken);
            }
        } finally {
            // After a failure the rest is abandoned; each of them gives its slot back.
            taken.slots().release(window.size());
        }
    }

    /**
     * Paho completes a QoS 1 publish's token before it counts the publish out of flight (that waits for its callback
     * thread), so a slot freed by a completed token can still meet "too many publishes in progress" (32202) for a
     * moment; the slots keep that rare, this waits it out.
     */
    private IMqttToken send(final Message message) throws PublishFailure {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMPLETION_TIMEOUT_MILLIS);
        while (true) {
            try {
                return client.publish(message.topic(), message.payload(), message.qos(), message.retain());
            } catch (final MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
                        || System.nanoTime() > deadline) {
                    throw new PublishFailure("publish to " + message.topic() + " failed: " + e.getMessage(), true,
                            e);
                }
                LockSupport.parkNanos(IN_FLIGHT_RECHECK_NANOS);
            }
        }
    }

    private static void takeSlot(final String topic, final InFlightLimit limit) throws PublishFailure {
        try {
            if (!limit.slots().tryAcquire(COMPLETION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new PublishFailure("publish to " + topic + " not sent: " + limit.total()
                        + " publishes unacknowledged for " + COMPLETION_TIMEOUT_MILLIS + " ms", true, null);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailure("publish to " + topic + " interrupted", true, e);
        }
    }

    private static void awaitAcknowledged(final Sent sent, final InFlightLimit limit) throws PublishFailure {
        try {
            awaitOutcome(sent);
        } finally {
            limit.slots().release();
        }
    }

    private static void awaitOutcome(final Sent sent) throws PublishFailure {
        try {
            sent.token().waitForCompletion(COMPLETION_TIMEOUT_MILLIS);
        } catch (final MqttException e) {
            throw new PublishFailure("publish to " + sent.topic() + " failed: " + e.getMessage(), true, e);
        }
        if (sent.token().getException() != null) {
            throw new PublishFailure("publish to " + sent.topic() + " failed: "
                    + sent.token().getException().getMessage(), true, sent.token().getException());
        }
        final int[] reasonCodes = sent.token().getReasonCodes();
        if (reasonCodes != null) {
            for (final int reasonCode : reasonCodes) {
                if (reasonCode >= FIRST_FAILURE_REASON) {
                    throw new PublishFailure("broker refused the publish to " + sent.topic()
                            + " with reason code 0x" + Integer.toHexString(reasonCode), false, null);
                }
            }
        }
    }

    boolean isConnected() {
        return client.isConnected();
    }

    InFlightLimit inFlightLimit() {
        return limit;
    }

    @PreDestroy
    void close() {
        connector.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (final MqttException e) {
            log.debug("MQTT disconnect failed", e);
        }
        try {
            client.close(true);
        } catch (final MqttException e) {
            log.debug("MQTT close failed", e);
        }
    }
}
