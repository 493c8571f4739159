package dev.vernier.core.training;

import java.time.Instant;
import java.util.Objects;

/** A run a backend has started (or found already started): its handle and when its program started. */
public record LaunchedRun(RunHandle handle, Instant startedAt) {
    public LaunchedRun {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
