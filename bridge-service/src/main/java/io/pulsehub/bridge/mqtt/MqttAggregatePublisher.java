package io.pulsehub.bridge.mqtt;

import io.pulsehub.bridge.aggregate.AggregatePublishException;
import io.pulsehub.bridge.aggregate.AggregatePublisher;
import io.pulsehub.bridge.config.BridgeConfig;
import io.pulsehub.contract.Aggregate;
import io.pulsehub.contract.ServiceIdentity;
import io.pulsehub.contract.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes aggregates with Paho (MQTT 5, QoS 1, retained) under the bridge's service identity. Paho reconnects by
 * itself once a connection was established; until then a background task keeps trying, so the bridge starts (and
 * reports the broker DOWN in /health) before the broker is up.
 */
@Singleton
class MqttAggregatePublisher implements AggregatePublisher {

    private static final Logger log = LoggerFactory.getLogger(MqttAggregatePublisher.class);
    private static final long COMPLETION_TIMEOUT_MILLIS = 10_000;
    private static final long CONNECT_RETRY_MILLIS = 1_000;
    private static final int QOS = 1;

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String url;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "pulsehub-mqtt-connect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean everConnected;
    private volatile boolean warnedOnce;

    MqttAggregatePublisher(final BridgeConfig config) throws MqttException {
        this.url = config.mqttUrl();
        // One client id per consumer: two bridges with the same id would keep taking each other's session over.
        this.client = new MqttAsyncClient(url, "pulsehub-bridge-" + config.consumerName(), new MemoryPersistence());
        this.options = new MqttConnectionOptions();
        options.setUserName(ServiceIdentity.BRIDGE_USERNAME);
        options.setPassword(config.serviceToken().getBytes(StandardCharsets.UTF_8));
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 5);
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(30);
        connector.scheduleWithFixedDelay(this::connectUntilFirstSuccess, 0, CONNECT_RETRY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void connectUntilFirstSuccess() {
        if (everConnected || client.isConnected()) {
            return;
        }
        try {
            client.connect(options).waitForCompletion(COMPLETION_TIMEOUT_MILLIS);
            everConnected = true;
            log.info("Connected to the MQTT broker at {} as {}", url, ServiceIdentity.BRIDGE_USERNAME);
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

    @Override
    public void publish(final Aggregate aggregate, final boolean retain) throws AggregatePublishException {
        final String topic = Topics.aggregate(aggregate.device(), aggregate.window());
        if (!client.isConnected()) {
            throw new AggregatePublishException("not connected to the MQTT broker at " + url);
        }
        try {
            final IMqttToken token = client.publish(topic, aggregate.toJson(), QOS, retain);
            token.waitForCompletion(COMPLETION_TIMEOUT_MILLIS);
            if (token.getException() != null) {
                throw new AggregatePublishException("publish to " + topic + " failed: " + token.getException()
                        .getMessage(), token.getException());
            }
            final int[] reasonCodes = token.getReasonCodes();
            if (reasonCodes != null) {
                for (final int reasonCode : reasonCodes) {
                    if (reasonCode >= 0x80) {
                        throw new AggregatePublishException("broker refused the publish to " + topic
                                + " with reason code 0x" + Integer.toHexString(reasonCode));
                    }
                }
            }
        } catch (final MqttException e) {
            throw new AggregatePublishException("publish to " + topic + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
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
