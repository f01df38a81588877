package io.pulsehub.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.pulsehub.contract.BrokerClock;
import io.pulsehub.contract.InvalidTelemetryException;
import io.pulsehub.contract.StreamEntry;
import io.pulsehub.contract.TelemetryCodec;
import io.pulsehub.extension.LogSafe;
import io.pulsehub.extension.auth.Identities;
import io.pulsehub.extension.auth.Identity;
import io.pulsehub.extension.auth.TopicPermissions;
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
 */
final class TelemetryInterceptor implements PublishInboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(TelemetryInterceptor.class);
    static final String TIMEOUT_REASON = "storing the reading timed out; send it again";
    static final String BUSY_REASON = "hub is busy storing readings; send it again later";
    static final String FAILED_REASON = "reading could not be stored";
    static final String SHUTDOWN_REASON = "hub is shutting down; send the reading again later";

    private final @NotNull TelemetryStreamWriter writer;
    private final @NotNull BrokerClock clock;
    private final @NotNull Duration ackTimeout;
    private final @NotNull IngestMetrics metrics;

    TelemetryInterceptor(final @NotNull TelemetryStreamWriter writer, final @NotNull BrokerClock clock,
                         final @NotNull Duration ackTimeout, final @NotNull IngestMetrics metrics) {
        this.writer = writer;
        this.clock = clock;
        this.ackTimeout = ackTimeout;
        this.metrics = metrics;
    }

    @Override
    public void onInboundPublish(final @NotNull PublishInboundInput input, final @NotNull PublishInboundOutput output) {
        PendingAck pending = null;
        try {
            final PublishPacket packet = input.getPublishPacket();
            final Optional<Identity> identity = Identities.of(input.getConnectionInformation());
            if (identity.isEmpty() || !TopicPermissions.isOwnTelemetry(identity.get(), packet.getTopic())) {
                return;
            }
            final String deviceId = identity.get().subject();
            final boolean mqtt5 = input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5;
            final long brokerTimeNanos = clock.next();
            final byte[] payload = copy(packet.getPayload().orElse(null));
            final String problem = problemWith(payload, brokerTimeNanos);
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
    private static @Nullable String problemWith(final byte @NotNull [] payload, final long brokerTimeNanos) {
        try {
            TelemetryCodec.decode(payload, brokerTimeNanos);
            return null;
        } catch (final InvalidTelemetryException e) {
            return e.getMessage();
        } catch (final RuntimeException e) {
            // Resending the same bytes would fail the same way, so this counts as invalid, not as a hub failure.
            log.debug("codec failure", e);
            return "payload could not be read";
        }
    }

    private void refuseInvalid(final @NotNull PublishInboundOutput output, final @NotNull String deviceId,
                               final boolean mqtt5, final @NotNull String reason) {
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
