package io.pulsehub.extension.auth;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.pulsehub.extension.config.JwtSettings;
import io.pulsehub.extension.config.LoginThrottleSettings;
import io.pulsehub.extension.config.Secrets;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Registers the hub's authenticator and authorizer with HiveMQ. */
public final class HubSecurity {

    /** Fetching the JWK set runs during a login, which HiveMQ holds for ack-timeout-ms at most. */
    private static final int JWKS_TIMEOUT_MS = 2_000;
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;
    private static final Duration THROTTLE_SWEEP = Duration.ofMinutes(1);

    private final @NotNull ScheduledFuture<?> sweeper;

    private HubSecurity(final @NotNull ScheduledFuture<?> sweeper) {
        this.sweeper = sweeper;
    }

    /**
     * @param executor runs the registry lookups and delayed logins; must not be one of HiveMQ's own threads
     * @param timeout  how long HiveMQ waits for an asynchronous answer before it refuses
     */
    public static @NotNull HubSecurity install(final @NotNull SecurityRegistry registry,
                                               final @NotNull Secrets secrets, final @NotNull JwtSettings jwt,
                                               final @NotNull LoginThrottleSettings throttleSettings,
                                               final @NotNull DeviceLookup devices,
                                               final @NotNull ScheduledExecutorService executor,
                                               final @NotNull Duration timeout, final @NotNull AuthMetrics metrics) {
        final AppTokenVerifier appTokens = new AppTokenVerifier(secrets.jwtSecret(), publicKeys(jwt), jwt.issuer(),
                jwt.audience(), jwt.clockSkew(), Clock.systemUTC());
        final LoginPolicy policy = new LoginPolicy(devices, appTokens, secrets.serviceTokenSha256());
        final LoginThrottle throttle = new LoginThrottle(throttleSettings, System::nanoTime);
        // The authenticator is thread-safe and shared; an authorizer keeps its connection's identity, so each
        // connection gets its own.
        final HubAuthenticator authenticator = new HubAuthenticator(policy, throttle, metrics, executor, timeout);
        final Ownership ownership = new Ownership(devices);
        registry.setAuthenticatorProvider(input -> authenticator);
        registry.setAuthorizerProvider(input -> new HubAuthorizer(ownership, executor, timeout));
        return new HubSecurity(executor.scheduleWithFixedDelay(throttle::sweep, THROTTLE_SWEEP.toMillis(),
                THROTTLE_SWEEP.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** A file's keys are fixed at startup; a URL's are cached and fetched again for an unknown key id. */
    private static @Nullable JWKSource<SecurityContext> publicKeys(final @NotNull JwtSettings jwt) {
        if (jwt.jwks() != null) {
            return new ImmutableJWKSet<>(jwt.jwks());
        }
        return jwt.jwksUrl() == null ? null : remoteKeys(jwt.jwksUrl());
    }

    static @NotNull JWKSource<SecurityContext> remoteKeys(final @NotNull URI url) {
        try {
            return JWKSourceBuilder.<SecurityContext>create(url.toURL(),
                            new DefaultResourceRetriever(JWKS_TIMEOUT_MS, JWKS_TIMEOUT_MS, JWKS_SIZE_LIMIT))
                    .retrying(true)
                    .build();
        } catch (final MalformedURLException e) {
            throw new IllegalArgumentException("jwks-url is not usable: " + e.getMessage(), e);
        }
    }

    public void stop() {
        sweeper.cancel(false);
    }
}
