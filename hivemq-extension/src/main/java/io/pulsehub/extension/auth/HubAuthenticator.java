package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.pulsehub.extension.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ's entry point for CONNECT. Registry lookups run on the given executor while HiveMQ waits asynchronously;
 * HiveMQ's own threads never touch Redis. Fails closed: a timeout, an unreachable registry or any unexpected
 * error refuses the client, and nothing escapes to HiveMQ.
 * <p>
 * Before the credentials are looked at, the {@link LoginThrottle} may hold the login back (a scheduled task, no
 * thread waits) or refuse it outright; every refusal the client caused is counted against its client id and
 * address. Logs name the client id, the address and the reason, never a password or token.
 */
final class HubAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(HubAuthenticator.class);
    static final String UNAVAILABLE = "hub cannot check credentials right now; retry later";
    static final String BLOCKED = "too many failed logins from this address; retry later";

    private final @NotNull LoginPolicy policy;
    private final @NotNull LoginThrottle throttle;
    private final @NotNull AuthMetrics metrics;
    private final @NotNull ScheduledExecutorService executor;
    private final @NotNull Duration timeout;

    HubAuthenticator(final @NotNull LoginPolicy policy, final @NotNull LoginThrottle throttle,
                     final @NotNull AuthMetrics metrics, final @NotNull ScheduledExecutorService executor,
                     final @NotNull Duration timeout) {
        this.policy = policy;
        this.throttle = throttle;
        this.metrics = metrics;
        this.executor = executor;
        this.timeout = timeout;
    }

    /** Who is logging in, for the decision, the throttle and the log. */
    private record Attempt(@NotNull Login login, @NotNull ConnectionInformation connection, @NotNull String clientId,
                           @Nullable String address) {
    }

    @Override
    public void onConnect(final @NotNull SimpleAuthInput input, final @NotNull SimpleAuthOutput output) {
        final String clientId = input.getClientInformation().getClientId();
        try {
            final ConnectionInformation connection = input.getConnectionInformation();
            final Attempt attempt = new Attempt(Login.of(input.getConnectPacket()), connection, clientId,
                    connection.getInetAddress().map(InetAddress::getHostAddress).orElse(null));
            final LoginThrottle.Admission admission = throttle.admit(clientId, attempt.address());
            if (admission.kind() == LoginThrottle.Admission.Kind.BLOCKED) {
                metrics.blocked.inc();
                log.debug("login of client '{}' from {} refused unseen: address blocked for another {} s",
                        LogSafe.text(clientId), attempt.address(), admission.pause().toSeconds());
                output.failAuthentication(ConnackReasonCode.CONNECTION_RATE_EXCEEDED, BLOCKED);
                return;
            }
            final Duration delay = admission.pause();
            if (delay.isZero() && !LoginPolicy.needsRegistry(attempt.login())) {
                apply(policy.decide(attempt.login()), attempt, output);
                return;
            }
            final Async<SimpleAuthOutput> async = output.async(timeout.plus(delay), TimeoutFallback.FAILURE,
                    ConnackReasonCode.SERVER_UNAVAILABLE, UNAVAILABLE);
            try {
                if (delay.isZero()) {
                    executor.execute(() -> decideAndResume(attempt, async));
                } else {
                    metrics.delayed.inc();
                    log.debug("login of client '{}' from {} delayed {} ms after repeated failures",
                            LogSafe.text(clientId), attempt.address(), delay.toMillis());
                    executor.schedule(() -> decideAndResume(attempt, async), delay.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            } catch (final RuntimeException e) {
                log.warn("login of client '{}' refused: no thread to check it ({})", LogSafe.text(clientId),
                        e.toString());
                metrics.unavailable.inc();
                refuseQuietly(output, ConnackReasonCode.SERVER_UNAVAILABLE, UNAVAILABLE);
                async.resume();
            }
        } catch (final Throwable e) {
            fail(clientId, output, e);
        }
    }

    private void decideAndResume(final @NotNull Attempt attempt, final @NotNull Async<SimpleAuthOutput> async) {
        final SimpleAuthOutput output = async.getOutput();
        try {
            apply(policy.decide(attempt.login()), attempt, output);
        } catch (final RegistryUnavailableException e) {
            log.warn("login of client '{}' refused: {}", LogSafe.text(attempt.clientId()), e.getMessage());
            log.debug("registry failure", e);
            metrics.unavailable.inc();
            refuseQuietly(output, ConnackReasonCode.SERVER_UNAVAILABLE, UNAVAILABLE);
        } catch (final Throwable e) {
            fail(attempt.clientId(), output, e);
        } finally {
            async.resume();
        }
    }

    private void apply(final @NotNull LoginDecision decision, final @NotNull Attempt attempt,
                       final @NotNull SimpleAuthOutput output) {
        final String clientId = LogSafe.text(attempt.clientId());
        if (decision.accepted()) {
            // Set before HiveMQ learns of the success, so no PUBLISH or SUBSCRIBE can be checked without it.
            Identities.remember(attempt.connection(), decision, UUID.randomUUID().toString());
            // If an authorizer were ever skipped, the default still denies everything.
            output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
            output.authenticateSuccessfully();
            throttle.succeeded(attempt.clientId());
            metrics.succeeded.inc();
            log.debug("client '{}' logged in from {} as {}", clientId, attempt.address(), decision.identity());
            return;
        }
        if (decision.isClientFailure()) {
            metrics.failed.inc();
            final LoginThrottle.Failures failures = throttle.failed(attempt.clientId(), attempt.address());
            log.info("login of client '{}' from {} refused ({}): {} [failed logins: {} of this client id, {} from "
                            + "this address]", clientId, attempt.address(), decision.code(),
                    LogSafe.reason(decision.logReason()), failures.ofClient(), failures.ofAddress());
            warnOnThreshold(clientId, attempt.address(), failures);
        } else {
            metrics.unavailable.inc();
            log.warn("login of client '{}' from {} refused ({}): {}", clientId, attempt.address(), decision.code(),
                    LogSafe.reason(decision.logReason()));
        }
        // App token reasons can quote the token's header (kid).
        output.failAuthentication(decision.code(), LogSafe.reason(decision.clientReason()));
    }

    private static void warnOnThreshold(final @NotNull String clientId, final @Nullable String address,
                                        final @NotNull LoginThrottle.Failures failures) {
        if (failures.addressNowBlocked()) {
            log.warn("address {} is blocked after {} failed logins", address, failures.ofAddress());
        } else if (failures.addressNowThrottled()) {
            log.warn("logins from address {} are slowed down after {} failed logins", address, failures.ofAddress());
        }
        if (failures.clientNowThrottled()) {
            log.warn("logins of client id '{}' are slowed down after {} failed logins", clientId, failures.ofClient());
        }
    }

    private void fail(final @NotNull String clientId, final @NotNull SimpleAuthOutput output,
                      final @NotNull Throwable e) {
        log.warn("login of client '{}' refused: unexpected {}", LogSafe.text(clientId), e.toString());
        log.debug("unexpected login failure", e);
        metrics.unavailable.inc();
        refuseQuietly(output, ConnackReasonCode.UNSPECIFIED_ERROR, "authentication failed");
    }

    /** The output may already be decided or timed out; either way the client is not let in. */
    private static void refuseQuietly(final @NotNull SimpleAuthOutput output, final @NotNull ConnackReasonCode code,
                                      final @NotNull String reason) {
        try {
            output.failAuthentication(code, reason);
        } catch (final RuntimeException alreadyDecided) {
            log.debug("login outcome was already decided: {}", alreadyDecided.toString());
        }
    }
}
