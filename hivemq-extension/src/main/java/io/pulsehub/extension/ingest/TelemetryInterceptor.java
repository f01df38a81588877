package io.pulsehub.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.pulsehub.contract.BrokerClock;
import io.pulsehub.contract.InvalidTelemetryException;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.TelemetryCodec;
import io.pulsehub.extension.LogSafe;
import io.pulsehub.extension.auth.ConnectionIdentity;
import io.pulsehub.extension.auth.Identity;
import io.pulsehub.extension.auth.TopicPermissions;
import io.pulsehub.extension.config.Limits;
import io.pulsehub.extension.stream.BacklogMonitor;
import io.pulsehub.extension.stream.TelemetryStreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * Stores each telemetry publish of a device in its stream before HiveMQ acknowledges it.
 * <p>
 * HiveMQ runs inbound interceptors <em>before</em> the publish authorizer, so this only ever touches a device's
 * publish to its own telemetry topic, which the authorizer allows; everything else passes untouched and is
 * decided by the authorizer, so an unauthorized publish is never stored.
 * <p>
 * An invalid payload can never succeed, however often it is sent. An MQTT 5 device gets PAYLOAD_FORMAT_INVALID
 * with the reason. MQTT 3.1.1 has no negative acknowledgement, and a disconnect would only make the device resend
 * the same bad payload forever, so its invalid publish is acknowledged and dropped, logged at WARN with the reason
 * and counted ({@code io.pulsehub.extension.telemetry.invalid}).
 * <p>
 * A valid reading is handed to the {@link TelemetryStreamWriter} and HiveMQ holds the publish until the writer
 * answers (see {@link PendingAck} for what a refusal means per protocol version). QoS 0 readings take the same
 * path; they are stored too, there is just no acknowledgement to hold back.
 * <p>
 * Limits come before the payload is even read, cheapest first: a payload over {@link Limits#maxPayloadBytes()} ends
 * the connection with DISCONNECT PACKET_TOO_LARGE and a reason (the only place MQTT 5 has that code; a PUBACK
 * cannot carry it); a full stream backlog and an exhausted per-device rate are answered QUOTA_EXCEEDED with a
 * reason. Those two are temporary, so an MQTT 3 device is disconnected by HiveMQ instead, to send the reading again
 * later. An array with more readings than {@link Limits#maxReadingsPerPayload()} is an invalid payload, and so is a
 * reading with a {@link io.pulsehub.contract.Identifiers#RESERVED_METRIC_NAMES reserved metric name} (the codec refuses it).
 */
final class TelemetryInterceptor {

    private static final Logger log = LoggerFactory.getLogger(TelemetryInterceptor.class);
    static final String TIMEOUT_REASON = "storing the reading timed out; send it again";
    static final String BUSY_REASON = "hub is busy storing readings; send it again later";
    static final String FAILED_REASON = "reading could not be stored";
    static final String SHUTDOWN_REASON = "hub is shutting down; send the reading again later";
    static final String BACKLOG_FULL_REASON = "hub backlog full; retry later";
    static final String TOPIC_REASON = "topic contains control or format characters";

    private final @NotNull TelemetryStreamWriter writer;
    private final @NotNull BrokerClock clock;
    private final @NotNull Duration ackTimeout;
    private final @NotNull IngestMetrics metrics;
    private final @NotNull Limits limits;
    private final @NotNull DeviceRateLimiter rateLimiter;
    private final @NotNull BacklogMonitor backlog;
    private final @NotNull ClientService clients;
    private final @NotNull String rateReason;

    TelemetryInterceptor(final @NotNull TelemetryStreamWriter writer, final @NotNull BrokerClock clock,
                         final @NotNull Duration ackTimeout, final @NotNull IngestMetrics metrics,
                         final @NotNull Limits limits, final @NotNull DeviceRateLimiter rateLimiter,
                         final @NotNull BacklogMonitor backlog, final @NotNull ClientService clients) {
        this.writer = writer;
        this.clock = clock;
        this.ackTimeout = ackTimeout;
        this.metrics = metrics;
        this.limits = limits;
        this.rateLimiter = rateLimiter;
        this.backlog = backlog;
        this.clients = clients;
        this.rateReason = "publish rate limit exceeded (" + rateLimiter.describe() + "); slow down";
    }

    /**
     * The interceptor of one connection. It keeps the connection's identity; everything else, the broker clock, the
     * rate limits and the writer among it, is shared by all connections.
     */
    @NotNull PublishInboundInterceptor forConnection() {
        final ConnectionIdentity connection = new ConnectionIdentity();
        return (input, output) -> onInboundPublish(connection, input, output);
    }

    private void onInboundPublish(final @NotNull ConnectionIdentity connection,
                                  final @NotNull PublishInboundInput input,
                                  final @NotNull PublishInboundOutput output) {
        PendingAck pending = null;
        try {
            final PublishPacket packet = input.getPublishPacket();
            if (!LogSafe.isPlain(packet.getTopic())) {
                // No rule allows such a topic, and a refusal that quoted it (HiveMQ's own does) could break the
                // client; refuse it here, before the authorizer, with a reason that does not quote it.
                output.preventPublishDelivery(AckReasonCode.TOPIC_NAME_INVALID, TOPIC_REASON);
                return;
            }
            final Optional<Identity> identity = connection.of(input.getConnectionInformation());
            if (identity.isEmpty() || !TopicPermissions.isOwnTelemetry(identity.get(), packet.getTopic())) {
                return;
            }
            final String deviceId = identity.get().subject();
            final boolean mqtt5 = input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5;
            final ByteBuffer payloadBuffer = packet.getPayload().orElse(null);
            final int size = payloadBuffer == null ? 0 : payloadBuffer.remaining();
            if (size > limits.maxPayloadBytes()) {
                refuseTooLarge(input.getClientInformation().getClientId(), output, deviceId, size);
                return;
            }
            if (backlog.isFull()) {
                metrics.backlogFull.inc();
                log.debug("reading of device '{}' refused: stream backlog full", LogSafe.text(deviceId));
                output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED, BACKLOG_FULL_REASON);
                return;
            }
            if (!rateLimiter.tryAcquire(deviceId)) {
                metrics.rateLimited.inc();
                log.debug("reading of device '{}' refused: publish rate limit", LogSafe.text(deviceId));
                output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED, rateReason);
                return;
            }
            final long brokerTimeNanos = clock.next();
            final byte[] payload = copy(payloadBuffer);
            final String problem = problemWith(payload, brokerTimeNanos, limits.maxReadingsPerPayload());
            if (problem != null) {
                refuseInvalid(output, deviceId, mqtt5, problem);
                return;
            }
            // The fallback code matters: with the plain async(timeout, FAILURE) HiveMQ would answer a timed-out
            // publish with a SUCCESS PUBACK although nothing was stored.
            final Async<PublishInboundOutput> async = output.async(ackTimeout, TimeoutFallback.FAILURE,
                    AckReasonCode.UNSPECIFIED_ERROR, TIMEOUT_REASON);
            pending = new PendingAck(async, deviceId, mqtt5, metrics);
            switch (writer.submit(new StreamEntry(deviceId, brokerTimeNanos, payload), pending)) {
                case ACCEPTED -> {
                }
                case QUEUE_FULL -> pending.refuse(AckReasonCode.QUOTA_EXCEEDED, BUSY_REASON);
                case STOPPED -> pending.refuse(AckReasonCode.UNSPECIFIED_ERROR, SHUTDOWN_REASON);
            }
        } catch (final RuntimeException e) {
            log.warn("publish of client '{}' refused: unexpected {}",
                    LogSafe.text(input.getClientInformation().getClientId()), e.toString());
            log.debug("unexpected ingest failure", e);
            if (pending != null) {
                pending.refuse(AckReasonCode.UNSPECIFIED_ERROR, FAILED_REASON);
            } else {
                preventQuietly(output, FAILED_REASON);
            }
        }
    }

    /** Why the payload is no valid telemetry, or {@code null} when it is. */
    private static @Nullable String problemWith(final byte @NotNull [] payload, final long brokerTimeNanos,
                                                final int maxReadings) {
        try {
            final int readings = TelemetryCodec.validate(payload, brokerTimeNanos);
            return readings > maxReadings
                    ? "too many readings in one payload (" + readings + "); at most " + maxReadings
                    : null;
        } catch (final InvalidTelemetryException e) {
            return e.getMessage();
        } catch (final RuntimeException e) {
            // Resending the same bytes would fail the same way, so this counts as invalid, not as a hub failure.
            log.debug("codec failure", e);
            return "payload could not be read";
        }
    }

    /**
     * Ends the connection with PACKET_TOO_LARGE and the reason, then lets the publish go without delivery: the
     * channel is closed by then, so no PUBACK reaches the client and nothing is stored.
     */
    private void refuseTooLarge(final @NotNull String clientId, final @NotNull PublishInboundOutput output,
                                final @NotNull String deviceId, final int size) {
        metrics.tooLarge.inc();
        final String reason = "payload of " + size + " bytes exceeds the hub's limit of " + limits.maxPayloadBytes()
                + " bytes";
        log.warn("reading of device '{}' refused, disconnecting it: {}", LogSafe.text(deviceId), reason);
        final Async<PublishInboundOutput> async = output.async(ackTimeout, TimeoutFallback.FAILURE,
                AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, reason);
        try {
            clients.disconnectClient(clientId, true, DisconnectReasonCode.PACKET_TOO_LARGE, reason)
                    .whenComplete((found, e) -> preventAndResume(async, reason));
        } catch (final RuntimeException e) {
            log.debug("disconnecting device '{}' failed: {}", LogSafe.text(deviceId), e.toString());
            preventAndResume(async, reason);
        }
    }

    private static void preventAndResume(final @NotNull Async<PublishInboundOutput> async,
                                         final @NotNull String reason) {
        try {
            async.getOutput().preventPublishDelivery(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, reason);
        } catch (final RuntimeException alreadyDecided) {
            log.debug("publish was already decided: {}", alreadyDecided.toString());
        } finally {
            async.resume();
        }
    }

    private void refuseInvalid(final @NotNull PublishInboundOutput output, final @NotNull String deviceId,
                               final boolean mqtt5, final @NotNull String problem) {
        // Parser messages quote the payload: the reason goes nowhere unescaped.
        final String reason = LogSafe.reason(problem);
        metrics.invalid.inc();
        log.warn("invalid reading from device '{}' refused: {}{}", LogSafe.text(deviceId), reason,
                mqtt5 ? "" : " (MQTT 3 client: acknowledged and dropped, as resending cannot fix it)");
        if (mqtt5) {
            output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, reason);
        } else {
            output.preventPublishDelivery();
        }
    }

    private static void preventQuietly(final @NotNull PublishInboundOutput output, final @NotNull String reason) {
        try {
            output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, reason);
        } catch (final RuntimeException alreadyDecided) {
            log.debug("publish was already decided: {}", alreadyDecided.toString());
        }
    }

    private static byte @NotNull [] copy(final @Nullable ByteBuffer payload) {
        if (payload == null) {
            return new byte[0];
        }
        final ByteBuffer view = payload.asReadOnlyBuffer();
        final byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
