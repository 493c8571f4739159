package dev.vernier.core.training;

import java.time.Instant;
import java.util.Objects;

/**
 * A run a backend has started (or found already started): its handle and when it was launched.
 *
 * @param waiting null when the program starts at once; else why it does not yet (a cluster's queue:
 *                "Submitting the job to Slurm"), and the job stays in SecondaryStatus Starting until a
 *                poll answers no {@link RunObservation#waiting()}
 */
public record LaunchedRun(RunHandle handle, Instant startedAt, String waiting) {
    public LaunchedRun {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** A run whose program starts at once. */
    public LaunchedRun(RunHandle handle, Instant startedAt) {
        this(handle, startedAt, null);
    }
}
