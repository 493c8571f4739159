package dev.vernier.core.tuning;

import java.time.Instant;
import java.util.Objects;

/**
 * A decision the controller took about one running training job of a tuning job, stored before it
 * is acted on and never rewritten, so that a restart (or another server) keeps it: a stop decided by
 * a stopping rule, or a Hyperband promotion past a rung.
 *
 * @param step   the objective data points the job had reported when it was decided (for a promotion: the rung)
 * @param detail why, in words (e.g. the median it fell behind); empty for a promotion
 */
public record JobDecision(String trainingJobName, String tuningJobName, Kind kind, int step, String detail,
                          Instant decidedAt) {
    public enum Kind {
        /** TrainingJobEarlyStoppingType Auto: behind the median of completed jobs. The job is stopped. */
        EARLY_STOPPING,
        /** Hyperband: not among the best of its bracket at a rung, or at MaxResource. The job is stopped. */
        HYPERBAND_STOP,
        /** Hyperband: among the best of its bracket at the rung {@code step}; it goes on. */
        PROMOTION;

        public boolean stops() {
            return this != PROMOTION;
        }
    }

    public JobDecision {
        Objects.requireNonNull(trainingJobName, "trainingJobName");
        Objects.requireNonNull(tuningJobName, "tuningJobName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }
}
