package io.pulsehub.bridge.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Builds the {@link BridgeConfig} eagerly, so a bad setting stops the application before anything connects. Each
 * setting is the property {@code hub.<name>} ({@code HUB_REDIS_URL} is {@code hub.redis-url}), which
 * {@code application.yml} fills from the environment variable.
 */
@Factory
class BridgeConfigFactory {

    private static final Logger log = LoggerFactory.getLogger(BridgeConfigFactory.class);

    @Context
    BridgeConfig bridgeConfig(final Environment environment) {
        final BridgeConfig config = new BridgeConfigParser(
                name -> environment.getProperty(propertyOf(name), String.class).orElse(null),
                message -> log.info("{}", message),
                BridgeConfigFactory::hostname).parse();
        log.info("Configuration: {}", config);
        return config;
    }

    /** {@code HUB_REDIS_URL} to {@code hub.redis-url}. */
    static String propertyOf(final String variable) {
        return "hub." + variable.substring("HUB_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String hostname() {
        try {
            final String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "bridge" : name;
        } catch (final UnknownHostException e) {
            return "bridge";
        }
    }
}
