package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
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

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * HiveMQ's entry point for CONNECT. Registry lookups run on the given executor while HiveMQ waits asynchronously;
 * HiveMQ's own threads never touch Redis. Fails closed: a timeout, an unreachable registry or any unexpected
 * error refuses the client, and nothing escapes to HiveMQ.
 */
final class HubAuthenticator implements SimpleAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(HubAuthenticator.class);
    static final String UNAVAILABLE = "hub cannot check credentials right now; retry later";

    private final @NotNull LoginPolicy policy;
    private final @NotNull Executor executor;
    private final @NotNull Duration timeout;

    HubAuthenticator(final @NotNull LoginPolicy policy, final @NotNull Executor executor,
                     final @NotNull Duration timeout) {
        this.policy = policy;
        this.executor = executor;
        this.timeout = timeout;
    }

    @Override
    public void onConnect(final @NotNull SimpleAuthInput input, final @NotNull SimpleAuthOutput output) {
        final String clientId = input.getClientInformation().getClientId();
        try {
            final Login login = Login.of(input.getConnectPacket());
            if (!LoginPolicy.needsRegistry(login)) {
                apply(policy.decide(login), input.getConnectionInformation(), clientId, output);
                return;
            }
            final Async<SimpleAuthOutput> async =
                    output.async(timeout, TimeoutFallback.FAILURE, ConnackReasonCode.SERVER_UNAVAILABLE, UNAVAILABLE);
            try {
                executor.execute(() -> decideAndResume(login, input.getConnectionInformation(), clientId, async));
            } catch (final RuntimeException e) {
                log.warn("login of client '{}' refused: no thread to check it ({})", LogSafe.text(clientId),
                        e.toString());
                refuseQuietly(output, ConnackReasonCode.SERVER_UNAVAILABLE, UNAVAILABLE);
                async.resume();
            }
        } catch (final Throwable e) {
            fail(clientId, output, e);
        }
    }

    private void decideAndResume(final @NotNull Login login, final @NotNull ConnectionInformation connection,
                                 final @NotNull String clientId, final @NotNull Async<SimpleAuthOutput> async) {
        final SimpleAuthOutput output = async.getOutput();
        try {
            apply(policy.decide(login), connection, clientId, output);
        } catch (final RegistryUnavailableException e) {
            log.warn("login of client '{}' refused: {}", LogSafe.text(clientId), e.getMessage());
            log.debug("registry failure", e);
            refuseQuietly(output, ConnackReasonCode.SERVER_UNAVAILABLE, UNAVAILABLE);
        } catch (final Throwable e) {
            fail(clientId, output, e);
        } finally {
            async.resume();
        }
    }

    private static void apply(final @NotNull LoginDecision decision, final @NotNull ConnectionInformation connection,
                              final @NotNull String clientId, final @NotNull SimpleAuthOutput output) {
        if (decision.accepted()) {
            // Set before HiveMQ learns of the success, so no PUBLISH or SUBSCRIBE can be checked without it.
            Identities.remember(connection, decision.identity());
            // If an authorizer were ever skipped, the default still denies everything.
            output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
            output.authenticateSuccessfully();
            log.debug("client '{}' logged in as {}", LogSafe.text(clientId), decision.identity());
            return;
        }
        log.info("login of client '{}' refused ({}): {}", LogSafe.text(clientId), decision.code(),
                decision.logReason());
        output.failAuthentication(decision.code(), decision.clientReason());
    }

    private static void fail(final @NotNull String clientId, final @NotNull SimpleAuthOutput output,
                             final @NotNull Throwable e) {
        log.warn("login of client '{}' refused: unexpected {}", LogSafe.text(clientId), e.toString());
        log.debug("unexpected login failure", e);
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
