package io.pulsehub.bridge.stream;

import io.pulsehub.bridge.aggregate.LateReadings;
import io.pulsehub.bridge.aggregate.WindowTallies;
import io.pulsehub.bridge.influx.TelemetryPoints;
import io.pulsehub.contract.InvalidTelemetryException;
import io.pulsehub.contract.Reading;
import io.pulsehub.contract.StreamEntry;
import redis.clients.jedis.StreamEntryID;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The entries of one read, decoded: the ones to write to InfluxDB and the ones that go to the dead letters. */
final class EntryBatch {

    /**
     * An entry ready to write.
     *
     * @param lines its readings' points as line protocol ({@link TelemetryPoints}), built once at decode time so that
     *              an entry they cannot be built for is dead-lettered like any other undecodable entry
     */
    record Decoded(Delivery delivery, String deviceId, List<Reading> readings, String lines) {
    }

    private final List<Decoded> decoded;
    private final List<DeadLetter> deadLetters;

    private EntryBatch(final List<Decoded> decoded, final List<DeadLetter> deadLetters) {
        this.decoded = decoded;
        this.deadLetters = deadLetters;
    }

    /**
     * @param maxDeliveries an entry delivered more often than this goes to the dead letters unread: it has stopped
     *                      or crashed a consumer that many times already
     */
    static EntryBatch decode(final List<Delivery> deliveries, final int maxDeliveries) {
        final List<Decoded> decoded = new ArrayList<>(deliveries.size());
        final List<DeadLetter> dead = new ArrayList<>();
        final StringBuilder lines = new StringBuilder(256);
        for (final Delivery delivery : deliveries) {
            if (delivery.deliveries() > maxDeliveries) {
                dead.add(new DeadLetter(delivery, tooManyDeliveries(delivery.deliveries(), maxDeliveries)));
                continue;
            }
            if (delivery.fields() == null || delivery.fields().isEmpty()) {
                dead.add(new DeadLetter(delivery, "entry was deleted from the stream before it was written"));
                continue;
            }
            try {
                final StreamEntry entry = StreamEntry.fromFields(delivery.fields());
                final List<Reading> readings = entry.readings();
                lines.setLength(0);
                TelemetryPoints.appendLines(lines, entry.deviceId(), readings);
                decoded.add(new Decoded(delivery, entry.deviceId(), readings, lines.toString()));
            } catch (final IllegalArgumentException | InvalidTelemetryException e) {
                dead.add(new DeadLetter(delivery, "undecodable entry: " + e.getMessage()));
            }
        }
        return new EntryBatch(decoded, dead);
    }

    static String tooManyDeliveries(final long deliveries, final int maxDeliveries) {
        return "delivered " + deliveries + " times without being written; HUB_BRIDGE_MAX_DELIVERIES is "
                + maxDeliveries;
    }

    boolean isEmpty() {
        return decoded.isEmpty() && deadLetters.isEmpty();
    }

    int size() {
        return decoded.size() + deadLetters.size();
    }

    List<Decoded> decoded() {
        return List.copyOf(decoded);
    }

    List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** The line protocol of every entry to write, for one request. */
    String lines() {
        int length = 0;
        for (final Decoded entry : decoded) {
            length += entry.lines().length();
        }
        final StringBuilder lines = new StringBuilder(length);
        for (final Decoded entry : decoded) {
            lines.append(entry.lines());
        }
        return lines.toString();
    }

    /** Points in {@link #lines()}: one per reading. */
    int pointCount() {
        int points = 0;
        for (final Decoded entry : decoded) {
            points += entry.readings().size();
        }
        return points;
    }

    /** InfluxDB refused this entry's points for good: it goes to the dead letters instead. */
    void refuse(final Decoded entry, final String reason) {
        if (decoded.remove(entry)) {
            deadLetters.add(new DeadLetter(entry.delivery(), reason));
        }
    }

    /** Every entry of the batch, written or dead-lettered, by stream. */
    Map<String, List<StreamEntryID>> acks() {
        final Map<String, List<StreamEntryID>> acks = new LinkedHashMap<>();
        for (final Decoded entry : decoded) {
            acks.computeIfAbsent(entry.delivery().stream(), key -> new ArrayList<>()).add(entry.delivery().id());
        }
        for (final DeadLetter dead : deadLetters) {
            acks.computeIfAbsent(dead.delivery().stream(), key -> new ArrayList<>()).add(dead.delivery().id());
        }
        return acks;
    }

    /** The late marks of the written readings, and this instance as a writer of their windows. */
    SetMarks marks(final LateReadings lateReadings, final WindowTallies tallies) {
        final Map<String, Set<String>> members = new HashMap<>();
        final Map<String, Long> expiryMillis = new HashMap<>();
        final List<List<Reading>> readingsOfEntries = new ArrayList<>(decoded.size());
        for (final Decoded entry : decoded) {
            lateReadings.collect(entry.deviceId(), entry.readings(), entry.delivery().id().getTime(), members);
            readingsOfEntries.add(entry.readings());
        }
        tallies.collectWriterMarks(readingsOfEntries, members, expiryMillis);
        return new SetMarks(members, expiryMillis);
    }

    /** Counts the written readings into the windows' tallies; before the batch is acknowledged. */
    void tally(final WindowTallies tallies) {
        for (final Decoded entry : decoded) {
            tallies.add(entry.deviceId(), entry.readings());
        }
    }
}
