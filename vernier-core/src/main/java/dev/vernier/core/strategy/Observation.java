package dev.vernier.core.strategy;

import dev.vernier.core.space.Configuration;
import java.util.Objects;

/**
 * What a strategy knows of one training job: its configuration, how it ended so far and,
 * when it has one, its final objective value.
 */
public record Observation(Configuration configuration, Outcome outcome, Double objective) {
    public enum Outcome {
        /** Still running or queued: a strategy should not propose the same point again. */
        PENDING,
        /** Finished with an objective value. */
        SUCCEEDED,
        /** Finished without an objective value (failed, or no metric). */
        FAILED
    }

    public Observation {
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.SUCCEEDED) != (objective != null))
            throw new IllegalArgumentException("an objective comes with SUCCEEDED and only then");
        if (objective != null && !Double.isFinite(objective))
            throw new IllegalArgumentException("objective must be finite");
    }

    public static Observation pending(Configuration c) {
        return new Observation(c, Outcome.PENDING, null);
    }

    public static Observation succeeded(Configuration c, double objective) {
        return new Observation(c, Outcome.SUCCEEDED, objective);
    }

    public static Observation failed(Configuration c) {
        return new Observation(c, Outcome.FAILED, null);
    }
}
