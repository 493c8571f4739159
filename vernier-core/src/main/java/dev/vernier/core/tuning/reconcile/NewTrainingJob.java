package dev.vernier.core.tuning.reconcile;

import java.util.Map;
import java.util.Objects;

/**
 * A training job to start: its place in the tuning job, the definition it runs, the tuned
 * hyperparameters (the strategy's part; the definition's static ones are merged when it is named
 * and stored), and the job it retries, if any.
 */
public record NewTrainingJob(int ordinal, String definitionName, Map<String, String> tunedHyperParameters,
                             String retryOf) {
    public NewTrainingJob {
        if (ordinal < 1) throw new IllegalArgumentException("ordinals start at 1");
        tunedHyperParameters = Map.copyOf(Objects.requireNonNull(tunedHyperParameters, "tunedHyperParameters"));
    }
}
