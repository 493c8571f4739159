package dev.vernier.core.completion;

import java.time.Instant;
import java.util.Objects;

/** The final objective of one finished training job and when it finished. */
public record FinishedObjective(double value, Instant finishedAt) {
    public FinishedObjective {
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (!Double.isFinite(value)) throw new IllegalArgumentException("objective must be finite");
    }
}
