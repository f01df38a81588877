package io.pulsehub.extension;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pulsehub.contract.ProvisionedDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Repeated failed logins over real MQTT: slowed down per client id, an address blocked for a while, everything
 * counted in HiveMQ's metrics and logged without the password.
 */
class LoginThrottleIT {

    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int CONNECTION_RATE_EXCEEDED = 0x9F;
    private static final int V3_NOT_AUTHORIZED = 5;
    private static final long DELAY_MS = 400;
    private static final String WRONG_TOKEN = "wrong-token-that-must-never-be-logged";

    private static EmbeddedHub hub;
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @BeforeAll
    static void startHub() {
        LOG.start();
        ((Logger) LoggerFactory.getLogger("io.pulsehub")).addAppender(LOG);
        hub = EmbeddedHub.withEmbeddedExtension("""
                <login-free-failures-per-client>2</login-free-failures-per-client>
                <login-free-failures-per-address>8</login-free-failures-per-address>
                <login-delay-base-ms>%d</login-delay-base-ms>
                <login-delay-max-ms>%d</login-delay-max-ms>
                <login-block-after-failures-per-address>12</login-block-after-failures-per-address>
                <login-block-s>4</login-block-s>""".formatted(DELAY_MS, DELAY_MS));
    }

    @AfterAll
    static void stopHub() {
        ((Logger) LoggerFactory.getLogger("io.pulsehub")).detachAppender(LOG);
        if (hub != null) {
            hub.close();
        }
    }

    private static java.util.List<ILoggingEvent> logged() {
        synchronized (LOG) {
            return java.util.List.copyOf(LOG.list);
        }
    }

    private static long millisSince(final long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void repeatedFailuresOfOneClientIdSlowDownItsLoginsUntilOneSucceeds() throws Exception {
        final ProvisionedDevice device = hub.provision("guessed", "vera");
        final long delayedBefore = hub.counter("io.pulsehub.extension.auth.delayed");
        for (int i = 0; i < 2; i++) {
            assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), WRONG_TOKEN))
                    .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        }
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), WRONG_TOKEN))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);

        // Over the allowance: even the right token waits, or a parallel guesser would learn of its hit at once.
        final long start = System.nanoTime();
        Mqtt.disconnect(Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token()));
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(DELAY_MS);
        assertThat(hub.counter("io.pulsehub.extension.auth.delayed")).isGreaterThan(delayedBefore);

        // The success forgave the client id: the next failure is not held back.
        final long delayedAfterSuccess = hub.counter("io.pulsehub.extension.auth.delayed");
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), WRONG_TOKEN))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(hub.counter("io.pulsehub.extension.auth.delayed")).isEqualTo(delayedAfterSuccess);
    }

    @Test
    void addressThatKeepsFailingIsBlockedEvenForTheRightTokenThenLetInAgain() throws Exception {
        final ProvisionedDevice device = hub.provision("neighbour", "vera");
        final long failedBefore = hub.counter("io.pulsehub.extension.auth.failed");
        int failures = 0;
        int answer = BAD_USER_NAME_OR_PASSWORD;
        while (answer == BAD_USER_NAME_OR_PASSWORD && failures < 20) {
            answer = Mqtt.v5Refusal(hub.mqttUrl(), "guess-" + failures, "guess-" + failures, WRONG_TOKEN);
            failures++;
        }
        assertThat(answer).as("refusal after %d failed logins", failures).isEqualTo(CONNECTION_RATE_EXCEEDED);
        assertThat(hub.counter("io.pulsehub.extension.auth.failed") - failedBefore).isBetween(1L, 12L);

        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                .isEqualTo(CONNECTION_RATE_EXCEEDED);
        // MQTT 3.1.1 has no such code; HiveMQ answers "not authorized".
        assertThat(Mqtt.v3Refusal(hub.mqttUrl(), device.id(), device.id(), device.token()))
                .isEqualTo(V3_NOT_AUTHORIZED);
        assertThat(hub.counter("io.pulsehub.extension.auth.blocked")).isPositive();

        await("block over").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    Mqtt.disconnect(Mqtt.v5(hub.mqttUrl(), device.id(), device.id(), device.token()));
                    return true;
                });
    }

    @Test
    void failedLoginsAreLoggedWithClientAndAddressButNeverTheSecret() throws Exception {
        final ProvisionedDevice device = hub.provision("logged", "vera");
        assertThat(Mqtt.v5Refusal(hub.mqttUrl(), device.id(), device.id(), WRONG_TOKEN))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);

        await().atMost(Duration.ofSeconds(5)).until(() -> logged().stream().anyMatch(event ->
                event.getFormattedMessage().contains("login of client '" + device.id() + "' from 127.0.0.1 refused")));
        assertThat(logged()).noneMatch(event -> event.getFormattedMessage().contains(WRONG_TOKEN)
                || event.getFormattedMessage().contains(device.token()));
    }
}
