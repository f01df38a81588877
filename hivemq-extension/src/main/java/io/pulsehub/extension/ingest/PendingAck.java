package io.pulsehub.extension.ingest;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.pulsehub.extension.LogSafe;
import io.pulsehub.extension.stream.TelemetryStreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A telemetry publish that HiveMQ holds until the writer has an answer. Resuming without a decision lets the
 * publish continue to authorization and delivery, after which HiveMQ sends the PUBACK: only once the reading is in
 * Redis.
 * <p>
 * A refusal is expressed as {@code preventPublishDelivery} with an error code. HiveMQ (CE 2025.5,
 * {@code IncomingPublishHandler#dropMessage}) turns that into a PUBACK/PUBREC with the code and reason string for
 * an MQTT 5 client, and for an MQTT 3 client into closing the connection <em>instead of</em> any acknowledgement,
 * so the client keeps the message and sends it again after reconnecting. Both happen in one step on the client's
 * channel, so no PUBACK can slip out between a disconnect and a resume.
 */
final class PendingAck implements TelemetryStreamWriter.Completion {

    private static final Logger log = LoggerFactory.getLogger(PendingAck.class);

    private final @NotNull Async<PublishInboundOutput> async;
    private final @NotNull String deviceId;
    private final boolean mqtt5;
    private final @NotNull IngestMetrics metrics;

    PendingAck(final @NotNull Async<PublishInboundOutput> async, final @NotNull String deviceId, final boolean mqtt5,
               final @NotNull IngestMetrics metrics) {
        this.async = async;
        this.deviceId = deviceId;
        this.mqtt5 = mqtt5;
        this.metrics = metrics;
    }

    @Override
    public void stored() {
        metrics.stored.inc();
        async.resume();
    }

    /** HiveMQ's timeout already answered the publish (with UNSPECIFIED_ERROR); storing it now would double it. */
    @Override
    public boolean abandoned() {
        if (async.getStatus() != Async.Status.CANCELED) {
            return false;
        }
        metrics.failed.inc();
        return true;
    }

    @Override
    public void failed(final @NotNull TelemetryStreamWriter.StoreFailure failure, final @NotNull String reason) {
        refuse(AckReasonCode.UNSPECIFIED_ERROR, reason);
    }

    /** Refuses the publish and resumes it; for MQTT 3 this disconnects the client (see class comment). */
    void refuse(final @NotNull AckReasonCode code, final @NotNull String reason) {
        if (code == AckReasonCode.QUOTA_EXCEEDED) {
            metrics.busy.inc();
        } else {
            metrics.failed.inc();
        }
        log.warn("reading of device '{}' not stored: {}{}", LogSafe.text(deviceId), reason,
                mqtt5 ? "" : "; disconnecting the MQTT 3 client so that it sends the reading again");
        try {
            async.getOutput().preventPublishDelivery(code, reason);
        } catch (final RuntimeException alreadyTimedOut) {
            // HiveMQ's timeout fallback already refused it with UNSPECIFIED_ERROR.
            log.debug("publish of device '{}' was already decided: {}", LogSafe.text(deviceId),
                    alreadyTimedOut.toString());
        } finally {
            async.resume();
        }
    }
}
