package dev.vernier.core.earlystopping;

import dev.vernier.core.strategy.Goal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SageMaker's rule for {@code TrainingJobEarlyStoppingType: Auto}, as its guide ("Stop Training Jobs
 * Early") documents it: after each epoch, compute the running average of the objective of every
 * previous training job up to the same epoch, take the median of those running averages, and stop
 * the current job if its objective value at that epoch is worse than the median.
 *
 * <p>SageMaker does not publish its warm-up; Vernier's settings follow Katib's median-stop defaults:
 * no decision before {@link #minFinishedJobs} finished jobs have reached the step
 * ({@value #DEFAULT_MIN_FINISHED_JOBS}, Katib's {@code min_trials_required}), nor before step
 * {@link #minSteps} ({@value #DEFAULT_MIN_STEPS}, Katib's {@code start_step}).
 */
public record MedianStoppingRule(int minFinishedJobs, int minSteps) implements EarlyStoppingRule {
    public static final int DEFAULT_MIN_FINISHED_JOBS = 3;
    public static final int DEFAULT_MIN_STEPS = 4;

    public MedianStoppingRule {
        if (minFinishedJobs < 1 || minSteps < 1) throw new IllegalArgumentException("minimums must be at least 1");
    }

    public static MedianStoppingRule defaults() {
        return new MedianStoppingRule(DEFAULT_MIN_FINISHED_JOBS, DEFAULT_MIN_STEPS);
    }

    @Override
    public Verdict judge(Goal goal, List<Double> running, List<List<Double>> finished) {
        int step = running.size();
        if (step < minSteps) return Verdict.carryOn("step " + step + " is before step " + minSteps);
        List<Double> averages = new ArrayList<>();
        for (List<Double> series : finished) if (series.size() >= step) averages.add(runningAverage(series, step));
        if (averages.size() < minFinishedJobs)
            return Verdict.carryOn(averages.size() + " finished jobs reached step " + step + "; " + minFinishedJobs + " needed");
        double median = median(averages);
        double value = running.get(step - 1);
        if (goal.isBetter(median, value))
            return new Verdict(true, "objective " + value + " at step " + step + " is worse than the median " + median
                    + " of the running averages of " + averages.size() + " finished jobs");
        return Verdict.carryOn("objective " + value + " at step " + step + " is no worse than the median " + median);
    }

    static double runningAverage(List<Double> series, int steps) {
        double sum = 0;
        for (int i = 0; i < steps; i++) sum += series.get(i);
        return sum / steps;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
