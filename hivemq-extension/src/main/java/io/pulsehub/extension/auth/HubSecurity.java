package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import io.pulsehub.extension.config.Secrets;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Registers the hub's authenticator and authorizer with HiveMQ. */
public final class HubSecurity {

    private HubSecurity() {
    }

    /**
     * @param executor runs the registry lookups; must not be one of HiveMQ's own threads
     * @param timeout  how long HiveMQ waits for an asynchronous answer before it refuses
     */
    public static void install(final @NotNull SecurityRegistry registry, final @NotNull Secrets secrets,
                               final @NotNull DeviceLookup devices, final @NotNull Executor executor,
                               final @NotNull Duration timeout) {
        final LoginPolicy policy = new LoginPolicy(devices,
                new AppTokenVerifier(secrets.jwtSecret(), Clock.systemUTC()), secrets.serviceTokenSha256());
        // Both are stateless and thread-safe, so every client shares one instance.
        final HubAuthenticator authenticator = new HubAuthenticator(policy, executor, timeout);
        final HubAuthorizer authorizer = new HubAuthorizer(new Ownership(devices), executor, timeout);
        registry.setAuthenticatorProvider(input -> authenticator);
        registry.setAuthorizerProvider(input -> authorizer);
    }
}
