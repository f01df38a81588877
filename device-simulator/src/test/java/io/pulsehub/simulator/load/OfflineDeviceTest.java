package io.pulsehub.simulator.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pulsehub.contract.Reading;
import io.pulsehub.contract.TelemetryCodec;
import io.pulsehub.simulator.profile.Profile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A device that goes offline buffers its readings with their own times and uploads them as arrays, in order. */
class OfflineDeviceTest {

    private static final long SECOND = 1_000_000_000L;

    /** Takes every publish and answers only when the test says so. */
    private static final class ScriptedConnection implements DeviceConnection {
        final List<byte[]> payloads = new ArrayList<>();
        final List<PublishCallback> unanswered = new ArrayList<>();
        int offlineCalls;
        int connectCalls;
        boolean connected = true;

        @Override
        public CompletableFuture<Void> connect() {
            connectCalls++;
            connected = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public int hubInFlightLimit() {
            return 65_535;
        }

        @Override
        public boolean publish(final String topic, final byte[] payload, final int qos,
                               final PublishCallback callback) {
            if (!connected) {
                return false;
            }
            payloads.add(payload);
            unanswered.add(callback);
            return true;
        }

        @Override
        public void goOffline() {
            offlineCalls++;
            connected = false;
        }

        @Override
        public void close() {
        }

        void acknowledgeAll() {
            final List<PublishCallback> callbacks = new ArrayList<>(unanswered);
            unanswered.clear();
            callbacks.forEach(PublishCallback::acknowledged);
        }
    }

    @Test
    void buffersWhileOfflineAndUploadsArraysOnReconnect() throws Exception {
        final ScriptedConnection connection = new ScriptedConnection();
        final PublishStats stats = new PublishStats();
        final AtomicBoolean finished = new AtomicBoolean();
        final long start = System.nanoTime();
        final SimulatedDevice device = new SimulatedDevice("offline-1", connection,
                Profile.THERMOSTAT.newDevice(new SplittableRandom(1)), new PublishPlan(start, 10, 25), 1, 50, stats,
                () -> finished.set(true), new OfflineSettings(5, Duration.ofSeconds(1), 10), Runnable::run);

        device.pump(start + SECOND * 45 / 100);
        assertThat(connection.payloads).as("five live readings").hasSize(5);
        assertThat(connection.offlineCalls).as("not offline while readings are in flight").isZero();

        connection.acknowledgeAll();
        assertThat(connection.offlineCalls).as("offline once the live readings are acknowledged").isEqualTo(1);

        device.pump(start + SECOND);
        assertThat(connection.payloads).as("nothing published while offline").hasSize(5);
        assertThat(connection.connectCalls).as("still offline").isZero();

        // The last reading is taken before the offline time is up: the device reconnects and uploads at once.
        device.pump(start + SECOND * 249 / 100);
        assertThat(connection.connectCalls).isEqualTo(1);
        assertThat(connection.payloads).hasSize(7);
        final List<Reading> uploaded = new ArrayList<>();
        for (final byte[] array : connection.payloads.subList(5, 7)) {
            assertThat(new String(array, StandardCharsets.UTF_8)).startsWith("[").endsWith("]");
            final List<Reading> readings = TelemetryCodec.decode(array, System.currentTimeMillis() * 1_000_000L);
            assertThat(readings).hasSize(10);
            uploaded.addAll(readings);
        }
        assertThat(uploaded).extracting(r -> r.metrics().get("seq").longValue())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(6, 25).boxed().toList());
        assertThat(uploaded).extracting(Reading::timeNanos).isSorted().doesNotHaveDuplicates();
        final long hubNow = System.currentTimeMillis() * 1_000_000L;
        final long lastLiveTs = TelemetryCodec.decode(connection.payloads.get(4), hubNow).get(0).timeNanos();
        assertThat(uploaded.get(0).timeNanos()).as("buffered readings keep their own, later times")
                .isGreaterThan(lastLiveTs);
        assertThat(finished).as("not finished before the upload is acknowledged").isFalse();

        connection.acknowledgeAll();
        assertThat(finished).isTrue();
        assertThat(stats.offlineCounts()).isEqualTo(new RunResult.OfflineCounts(20, 20, 2));
        assertThat(stats.sentCount()).isEqualTo(7);
        assertThat(stats.ackedCount()).isEqualTo(7);
    }

    @Test
    void offlineSettingsAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OfflineSettings(0, Duration.ofSeconds(1), 10))
                .hasMessageContaining("at least 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OfflineSettings(1, Duration.ZERO, 10))
                .hasMessageContaining("positive");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OfflineSettings(1, Duration.ofSeconds(1), 1001))
                .hasMessageContaining("1..1000");
    }
}
