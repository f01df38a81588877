package io.pulsehub.extension.stream;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.annotations.Nullable;

/** What happened to one entry of a batch: stored, or refused by Redis with its error. */
public record EntryResult(@Nullable String error) {

    private static final EntryResult STORED = new EntryResult(null);

    public static @NotNull EntryResult stored() {
        return STORED;
    }

    public static @NotNull EntryResult refused(final @NotNull String error) {
        return new EntryResult(error);
    }

    public boolean isStored() {
        return error == null;
    }
}
