package io.pulsehub.extension.auth;

import io.pulsehub.extension.config.LoginThrottleSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    private static final String ADDRESS = "203.0.113.7";
    private static final LoginThrottleSettings SETTINGS = new LoginThrottleSettings(3, 10, Duration.ofMillis(100),
            Duration.ofMillis(1_000), 20, Duration.ofSeconds(60), Duration.ofMinutes(10));

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LoginThrottle throttle = new LoginThrottle(SETTINGS, now::get);

    private void fail(final String clientId, final String address, final int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(clientId, address);
        }
    }

    private void advance(final Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void loginsWithinTheAllowanceGoAtOnce() {
        fail("d1", ADDRESS, 3);

        assertThat(throttle.admit("d1", ADDRESS).kind()).isEqualTo(LoginThrottle.Admission.Kind.NOW);
        assertThat(throttle.admit("d1", ADDRESS).pause()).isZero();
    }

    @Test
    void delayDoublesPerFailureBeyondTheAllowanceUpToTheCap() {
        fail("d1", ADDRESS, 4);
        assertThat(throttle.admit("d1", ADDRESS).pause()).isEqualTo(Duration.ofMillis(100));
        fail("d1", ADDRESS, 1);
        assertThat(throttle.admit("d1", ADDRESS).pause()).isEqualTo(Duration.ofMillis(200));
        fail("d1", ADDRESS, 1);
        assertThat(throttle.admit("d1", ADDRESS).pause()).isEqualTo(Duration.ofMillis(400));
        fail("d1", ADDRESS, 1);
        assertThat(throttle.admit("d1", ADDRESS).pause()).isEqualTo(Duration.ofMillis(800));
        fail("d1", ADDRESS, 1);
        assertThat(throttle.admit("d1", ADDRESS).kind()).isEqualTo(LoginThrottle.Admission.Kind.DELAYED);
        assertThat(throttle.admit("d1", ADDRESS).pause()).isEqualTo(Duration.ofMillis(1_000));
    }

    @Test
    void delayNeverOverflowsHoweverManyFailures() {
        assertThat(throttle.delayFor(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.delayFor(64)).isEqualTo(Duration.ofMillis(1_000));
        assertThat(throttle.delayFor(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(1_000));
    }

    @Test
    void clientIdIsThrottledFromAnyAddress() {
        fail("d1", "198.51.100.1", 2);
        fail("d1", "198.51.100.2", 2);

        assertThat(throttle.admit("d1", "198.51.100.3").pause()).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.admit("d2", "198.51.100.3").pause()).isZero();
    }

    @Test
    void addressIsThrottledWhateverClientIdsItInvents() {
        for (int i = 0; i < 11; i++) {
            throttle.failed("guess-" + i, ADDRESS);
        }

        assertThat(throttle.admit("fresh-client", ADDRESS).pause()).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.admit("fresh-client", "198.51.100.9").pause()).isZero();
    }

    @Test
    void addressIsBlockedAfterManyFailuresAndFreeAgainAfterTheBlock() {
        LoginThrottle.Failures last = null;
        for (int i = 0; i < 20; i++) {
            last = throttle.failed("guess-" + i, ADDRESS);
        }

        assertThat(last.addressNowBlocked()).isTrue();
        final LoginThrottle.Admission blocked = throttle.admit("anyone", ADDRESS);
        assertThat(blocked.kind()).isEqualTo(LoginThrottle.Admission.Kind.BLOCKED);
        assertThat(blocked.pause()).isEqualTo(Duration.ofSeconds(60));

        advance(Duration.ofSeconds(59));
        assertThat(throttle.admit("anyone", ADDRESS).kind()).isEqualTo(LoginThrottle.Admission.Kind.BLOCKED);
        advance(Duration.ofSeconds(1));
        // The block served its purpose; counting starts afresh.
        assertThat(throttle.admit("anyone", ADDRESS).kind()).isEqualTo(LoginThrottle.Admission.Kind.NOW);
    }

    @Test
    void clientIdIsNeverBlockedOnlySlowedSoNobodyCanLockADeviceOut() {
        fail("d1", null, 1_000);

        final LoginThrottle.Admission admission = throttle.admit("d1", null);
        assertThat(admission.kind()).isEqualTo(LoginThrottle.Admission.Kind.DELAYED);
        assertThat(admission.pause()).isEqualTo(Duration.ofMillis(1_000));
    }

    @Test
    void neverBlockingIsAnOption() {
        final LoginThrottle lenient = new LoginThrottle(new LoginThrottleSettings(3, 10, Duration.ofMillis(100),
                Duration.ofMillis(1_000), 0, Duration.ofSeconds(60), Duration.ofMinutes(10)), now::get);
        for (int i = 0; i < 1_000; i++) {
            lenient.failed("guess-" + i, ADDRESS);
        }

        assertThat(lenient.admit("x", ADDRESS).kind()).isEqualTo(LoginThrottle.Admission.Kind.DELAYED);
    }

    @Test
    void successForgetsTheClientIdsFailuresButNotTheAddresss() {
        fail("d1", ADDRESS, 11);
        throttle.succeeded("d1");

        assertThat(throttle.admit("d1", null).pause()).isZero();
        assertThat(throttle.admit("d1", ADDRESS).pause()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void failuresAreForgottenAfterTheMemoryPeriod() {
        fail("d1", ADDRESS, 6);
        advance(Duration.ofMinutes(9));
        assertThat(throttle.admit("d1", ADDRESS).pause()).isPositive();

        advance(Duration.ofMinutes(1));
        assertThat(throttle.admit("d1", ADDRESS).pause()).isZero();
        throttle.sweep();
        assertThat(throttle.tracked()).isZero();
    }

    @Test
    void failuresReportWhenAThresholdIsCrossedOnce() {
        fail("d1", ADDRESS, 3);
        final LoginThrottle.Failures fourth = throttle.failed("d1", ADDRESS);
        final LoginThrottle.Failures fifth = throttle.failed("d1", ADDRESS);

        assertThat(fourth.ofClient()).isEqualTo(4);
        assertThat(fourth.clientNowThrottled()).isTrue();
        assertThat(fifth.clientNowThrottled()).isFalse();
        assertThat(fifth.ofAddress()).isEqualTo(5);
    }

    @Test
    void longClientIdsAreRememberedByAShortKey() {
        final String huge = "x".repeat(60_000);
        fail(huge, null, 4);

        assertThat(throttle.admit(huge, null).pause()).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.admit("x".repeat(59_999), null).pause()).isZero();
    }

    @Test
    void trackedKeysAreBounded() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED + 50; i++) {
            throttle.failed("client-" + i, null);
        }

        assertThat(throttle.tracked()).isEqualTo(LoginThrottle.MAX_TRACKED);
    }
}
