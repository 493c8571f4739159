package dev.vernier.core.earlystopping;

import dev.vernier.core.strategy.Goal;
import java.util.List;

/** Decides whether a running training job should stop (the seam, as Optuna's pruner and Katib's early stopping). */
public interface EarlyStoppingRule {
    /**
     * Judges the running job at its latest step, {@code running.size()}.
     *
     * @param running   the running job's objective values, one per step, in the order reported
     * @param finished  the objective series of the finished jobs to compare with
     */
    Verdict judge(Goal goal, List<Double> running, List<List<Double>> finished);

    /** Stop or carry on, and why in words. */
    record Verdict(boolean stop, String detail) {
        public static Verdict carryOn(String detail) {
            return new Verdict(false, detail);
        }
    }
}
