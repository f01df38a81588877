package io.pulsehub.bridge.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The application refuses to start, before connecting anywhere, when a setting is missing or wrong. */
class StartupRefusalTest {

    private static Map<String, Object> settings() {
        final Map<String, Object> settings = new HashMap<>();
        // Nothing listens on port 1: the context must fail on the settings, not on a connection.
        settings.put("hub.redis-url", "redis://127.0.0.1:1");
        settings.put("hub.influx-url", "http://127.0.0.1:1");
        settings.put("hub.mqtt-url", "tcp://127.0.0.1:1");
        settings.put("hub.admin-token", "admin-token-0123456789");
        settings.put("hub.service-token", "service-token-0123456789");
        return settings;
    }

    @Test
    void refusesToStartWithoutTheAdminToken() {
        final Map<String, Object> settings = settings();
        settings.put("hub.admin-token", "");

        assertThatThrownBy(() -> ApplicationContext.run(settings).close())
                .hasStackTraceContaining("HUB_ADMIN_TOKEN is required");
    }

    @Test
    void refusesToStartWithABadWindow() {
        final Map<String, Object> settings = settings();
        settings.put("hub.aggregate-windows", "1m,soon");

        assertThatThrownBy(() -> ApplicationContext.run(settings).close())
                .hasStackTraceContaining("HUB_AGGREGATE_WINDOWS");
    }
}
