package io.pulsehub.extension.stream;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import io.pulsehub.contract.StreamEntry;

import java.util.List;

/** Where the writer puts its batches. Called by the writer thread only. */
public interface StreamSink {

    /**
     * Appends every entry of the batch in one round trip.
     *
     * @return one result per entry, in batch order
     * @throws RuntimeException when the batch as a whole failed (connection lost, timeout): the writer then treats
     *                          every entry as not stored, even though Redis may have taken some of them before
     *                          the failure (the device resends; at least once, never lost)
     */
    @NotNull List<EntryResult> append(@NotNull List<StreamEntry> batch);
}
