package dev.vernier.core.completion;

import dev.vernier.core.strategy.Goal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the completion criteria over the finished jobs' objectives, in the order they finished.
 *
 * <p><b>Improving</b> (model documentation of BestObjectiveNotImproving: "failed to improve model
 * performance by 1% or greater over prior training jobs"): a job improves when its objective beats
 * the best of the jobs before it by at least 1% of that best's magnitude (any gain counts when the
 * best is 0); the first job improves. {@link Result#jobsNotImproving} counts the jobs since the last
 * improving one, which is what Describe reports as NumberOfTrainingJobsObjectiveNotImproving.
 *
 * <p><b>Convergence</b> (the model calls it "a lack of significant improvement (1% or less)"; its
 * exact test is not published, so Vernier's is this): after at least {@value #CONVERGENCE_MIN_JOBS}
 * jobs with an objective, the job is converged as soon as the best objective has improved by 1% or
 * less in total over the last {@value #CONVERGENCE_WINDOW} jobs. Unlike the not-improving rule,
 * small gains add up here. ConvergenceDetectedTime is when the job that made the test hold finished.
 */
public final class Completion {
    static final double SIGNIFICANT = 0.01;
    public static final int CONVERGENCE_WINDOW = 5;
    public static final int CONVERGENCE_MIN_JOBS = 2 * CONVERGENCE_WINDOW;

    private Completion() {}

    /**
     * @param jobsNotImproving NumberOfTrainingJobsObjectiveNotImproving
     * @param convergedAt      when convergence was first detected, or null
     * @param reason           why the tuning job should finish now, or null to carry on
     */
    public record Result(int jobsNotImproving, Instant convergedAt, String reason) {
        public boolean finished() {
            return reason != null;
        }
    }

    public static Result evaluate(CompletionCriteria criteria, Goal goal, List<FinishedObjective> finished) {
        int notImproving = 0;
        Instant convergedAt = null;
        Double best = null;
        List<Double> bestAfter = new ArrayList<>();
        for (FinishedObjective f : finished) {
            if (best == null || improvesSignificantly(goal, f.value(), best)) notImproving = 0;
            else notImproving++;
            if (best == null || goal.isBetter(f.value(), best)) best = f.value();
            bestAfter.add(best);
            int n = bestAfter.size();
            if (convergedAt == null && n >= CONVERGENCE_MIN_JOBS
                    && !improvesSignificantly(goal, best, bestAfter.get(n - 1 - CONVERGENCE_WINDOW)))
                convergedAt = f.finishedAt();
        }
        String reason = null;
        Double target = criteria.targetObjectiveValue();
        if (target != null && best != null && (best.equals(target) || goal.isBetter(best, target)))
            reason = "the best objective " + best + " reached TargetObjectiveMetricValue " + target;
        else if (criteria.maxJobsNotImproving() > 0 && notImproving >= criteria.maxJobsNotImproving())
            reason = notImproving + " training jobs in a row did not improve the best objective by 1% or more";
        else if (criteria.completeOnConvergence() && convergedAt != null)
            reason = "the objective converged";
        return new Result(notImproving, convergedAt, reason);
    }

    /** Whether {@code candidate} beats {@code incumbent} by at least 1% of its magnitude. */
    static boolean improvesSignificantly(Goal goal, double candidate, double incumbent) {
        double gain = goal == Goal.MINIMIZE ? incumbent - candidate : candidate - incumbent;
        return gain > 0 && gain >= SIGNIFICANT * Math.abs(incumbent);
    }
}
