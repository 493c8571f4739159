package dev.vernier.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The controller's decision to stop a running training job before it ends by itself.
 *
 * @param step   how many objective data points the job had reported when it was decided
 * @param detail why, in words (e.g. the median it fell behind)
 */
public record StopDecision(String trainingJobName, String tuningJobName, Cause cause, int step, String detail,
                           Instant decidedAt) {
    public enum Cause { EARLY_STOPPING, HYPERBAND }

    public StopDecision {
        Objects.requireNonNull(trainingJobName, "trainingJobName");
        Objects.requireNonNull(tuningJobName, "tuningJobName");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }
}
