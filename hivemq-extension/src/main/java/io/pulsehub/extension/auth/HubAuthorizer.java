package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.pulsehub.extension.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Applies {@link TopicPermissions} to every PUBLISH and SUBSCRIBE. Rules that need the registry (does this app's
 * owner own the device?) are answered asynchronously on the executor. HiveMQ decides what a refusal means per
 * protocol version: an MQTT 5 publisher gets a PUBACK with the reason code and string (and is then disconnected
 * by HiveMQ), an MQTT 3 publisher is disconnected; a refused subscription gets a failure code in the SUBACK.
 * <p>
 * One instance per connection (HiveMQ asks the provider for each connection and keeps the answer with it), so the
 * connection's identity is read once, not for every publish.
 */
final class HubAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(HubAuthorizer.class);
    static final String NO_IDENTITY = "connection has no PulseHub identity";
    static final String UNAVAILABLE = "hub cannot check device ownership right now; retry later";

    private final @NotNull Ownership ownership;
    private final @NotNull Executor executor;
    private final @NotNull Duration timeout;
    private final @NotNull ConnectionIdentity connection = new ConnectionIdentity();

    HubAuthorizer(final @NotNull Ownership ownership, final @NotNull Executor executor,
                  final @NotNull Duration timeout) {
        this.ownership = ownership;
        this.executor = executor;
        this.timeout = timeout;
    }

    @Override
    public void authorizePublish(final @NotNull PublishAuthorizerInput input,
                                 final @NotNull PublishAuthorizerOutput output) {
        final String topic = input.getPublishPacket().getTopic();
        try {
            final Optional<Identity> identity = identityOf(input);
            if (identity.isEmpty()) {
                denyPublish(input, output, AckReasonCode.NOT_AUTHORIZED, NO_IDENTITY);
                return;
            }
            final Verdict verdict = TopicPermissions.publish(identity.get(), topic);
            switch (verdict.kind()) {
                case ALLOW -> output.authorizeSuccessfully();
                case DENY -> denyPublish(input, output, AckReasonCode.NOT_AUTHORIZED, verdict.reason());
                case IF_OWNER -> {
                    final Async<PublishAuthorizerOutput> async = output.async(timeout, TimeoutFallback.FAILURE);
                    submit(async, () -> {
                        if (ownership.owns(identity.get().subject(), verdict.deviceId())) {
                            output.authorizeSuccessfully();
                        } else {
                            denyPublish(input, output, AckReasonCode.NOT_AUTHORIZED,
                                    Ownership.notYours(verdict.deviceId()));
                        }
                    }, () -> denyPublish(input, output, AckReasonCode.UNSPECIFIED_ERROR, UNAVAILABLE));
                }
            }
        } catch (final Throwable e) {
            log.warn("publish of client '{}' refused: unexpected {}", clientOf(input), e.toString());
            log.debug("unexpected publish authorization failure", e);
            denyPublish(input, output, AckReasonCode.UNSPECIFIED_ERROR, "authorization failed");
        }
    }

    @Override
    public void authorizeSubscribe(final @NotNull SubscriptionAuthorizerInput input,
                                   final @NotNull SubscriptionAuthorizerOutput output) {
        final String filter = input.getSubscription().getTopicFilter();
        try {
            final Optional<Identity> identity = identityOf(input);
            if (identity.isEmpty()) {
                denySubscribe(input, output, SubackReasonCode.NOT_AUTHORIZED, NO_IDENTITY);
                return;
            }
            final Verdict verdict = TopicPermissions.subscribe(identity.get(), filter);
            switch (verdict.kind()) {
                case ALLOW -> output.authorizeSuccessfully();
                case DENY -> denySubscribe(input, output, SubackReasonCode.NOT_AUTHORIZED, verdict.reason());
                case IF_OWNER -> {
                    final Async<SubscriptionAuthorizerOutput> async =
                            output.async(timeout, TimeoutFallback.FAILURE);
                    submit(async, () -> {
                        if (ownership.owns(identity.get().subject(), verdict.deviceId())) {
                            output.authorizeSuccessfully();
                        } else {
                            denySubscribe(input, output, SubackReasonCode.NOT_AUTHORIZED,
                                    Ownership.notYours(verdict.deviceId()));
                        }
                    }, () -> denySubscribe(input, output, SubackReasonCode.UNSPECIFIED_ERROR, UNAVAILABLE));
                }
            }
        } catch (final Throwable e) {
            log.warn("subscription of client '{}' refused: unexpected {}", clientOf(input), e.toString());
            log.debug("unexpected subscription authorization failure", e);
            denySubscribe(input, output, SubackReasonCode.UNSPECIFIED_ERROR, "authorization failed");
        }
    }

    @FunctionalInterface
    private interface OwnershipDecision {
        void run() throws RegistryUnavailableException;
    }

    /**
     * Runs the decision on the executor and always resumes. Registry trouble and anything unexpected end in
     * {@code onUnavailable}: the request is refused, never let through.
     */
    private void submit(final @NotNull Async<?> async, final @NotNull OwnershipDecision decision,
                        final @NotNull Runnable onUnavailable) {
        try {
            executor.execute(() -> {
                try {
                    decision.run();
                } catch (final RegistryUnavailableException e) {
                    log.warn("authorization refused: {}", e.getMessage());
                    log.debug("registry failure", e);
                    quietly(onUnavailable);
                } catch (final Throwable e) {
                    log.warn("authorization refused: unexpected {}", e.toString());
                    log.debug("unexpected authorization failure", e);
                    quietly(onUnavailable);
                } finally {
                    async.resume();
                }
            });
        } catch (final RuntimeException e) {
            log.warn("authorization refused: no thread to check it ({})", e.toString());
            quietly(onUnavailable);
            async.resume();
        }
    }

    private static void denyPublish(final @NotNull PublishAuthorizerInput input,
                                    final @NotNull PublishAuthorizerOutput output, final @NotNull AckReasonCode code,
                                    final @NotNull String reason) {
        final String safeReason = LogSafe.reason(reason);
        log.info("publish of client '{}' to '{}' refused: {}", clientOf(input),
                LogSafe.text(input.getPublishPacket().getTopic()), safeReason);
        quietly(() -> output.failAuthorization(code, safeReason));
    }

    private static void denySubscribe(final @NotNull SubscriptionAuthorizerInput input,
                                      final @NotNull SubscriptionAuthorizerOutput output,
                                      final @NotNull SubackReasonCode code, final @NotNull String reason) {
        final String safeReason = LogSafe.reason(reason);
        log.info("subscription of client '{}' to '{}' refused: {}", clientOf(input),
                LogSafe.text(input.getSubscription().getTopicFilter()), safeReason);
        quietly(() -> output.failAuthorization(code, safeReason));
    }

    /** A decision may come after HiveMQ timed the request out; the refusal then already happened. */
    private static void quietly(final @NotNull Runnable decision) {
        try {
            decision.run();
        } catch (final RuntimeException alreadyDecided) {
            log.debug("authorization outcome was already decided: {}", alreadyDecided.toString());
        }
    }

    private @NotNull Optional<Identity> identityOf(final @NotNull ClientBasedInput input) {
        return connection.of(input.getConnectionInformation());
    }

    private static @NotNull String clientOf(final @NotNull ClientBasedInput input) {
        return LogSafe.text(input.getClientInformation().getClientId());
    }
}
