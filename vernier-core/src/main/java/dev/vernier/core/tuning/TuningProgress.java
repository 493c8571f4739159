package dev.vernier.core.tuning;

import dev.vernier.core.completion.Completion;
import dev.vernier.core.completion.FinishedObjective;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.TrainingJobStatus;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Counts recomputed from a tuning job's training jobs on every pass (level-triggered, as Katib's
 * ReconcileTrials does): counters, the best job, and which failed jobs still need a retry.
 *
 * <p>The retry rule: a job that failed for an internal reason (its process vanished, a launch error
 * that is not the request's fault) is retried as a new job with the same hyperparameters, up to the
 * definition's retry limit. A retried job is "superseded" and does not count towards
 * MaxNumberOfTrainingJobs (its retry does); a failed job whose retries are exhausted counts.
 */
public record TuningProgress(List<TrainingJob> jobs, Set<String> superseded) {

    public static TuningProgress of(List<TrainingJob> jobs) {
        Set<String> superseded = new HashSet<>();
        for (TrainingJob j : jobs) if (j.retryOf() != null) superseded.add(j.retryOf());
        return new TuningProgress(List.copyOf(jobs), Set.copyOf(superseded));
    }

    /** Jobs that count towards MaxNumberOfTrainingJobs. */
    public long counted() {
        return jobs.stream().filter(j -> !superseded.contains(j.name())).count();
    }

    public List<TrainingJob> running() {
        return jobs.stream().filter(TrainingJob::isRunning).toList();
    }

    /** Failed jobs to retry now: internal failures, not yet retried, with attempts left. */
    public List<TrainingJob> toRetry(Map<String, Integer> maxRetriesByDefinition) {
        Map<String, TrainingJob> byName = new HashMap<>();
        jobs.forEach(j -> byName.put(j.name(), j));
        return jobs.stream()
                .filter(j -> j.status() == TrainingJobStatus.FAILED && j.retryable() && !superseded.contains(j.name()))
                .filter(j -> attempts(j, byName) <= maxRetriesByDefinition.getOrDefault(
                        j.definitionName() == null ? TuningPlan.SINGLE : j.definitionName(), 0))
                .toList();
    }

    private static int attempts(TrainingJob job, Map<String, TrainingJob> byName) {
        int n = 1;
        for (TrainingJob j = job; j.retryOf() != null && byName.containsKey(j.retryOf()); j = byName.get(j.retryOf()))
            n++;
        return n;
    }

    public long count(TrainingJobStatus status) {
        return jobs.stream().filter(j -> j.status() == status).count();
    }

    public long retryableErrors() {
        return jobs.stream().filter(j -> j.status() == TrainingJobStatus.FAILED && j.retryable()).count();
    }

    public long nonRetryableErrors() {
        return jobs.stream().filter(j -> j.status() == TrainingJobStatus.FAILED && !j.retryable()).count();
    }

    public long objectives(ObjectiveStatus status) {
        return jobs.stream().filter(j -> j.objectiveStatus() == status).count();
    }

    /** The job with the best final objective; ties go to the earlier job. */
    public Optional<TrainingJob> best(Goal goal) {
        Comparator<TrainingJob> byObjective = Comparator.comparingDouble(TrainingJob::objectiveValue);
        if (goal == Goal.MAXIMIZE) byObjective = byObjective.reversed();
        return jobs.stream().filter(j -> j.objectiveStatus() == ObjectiveStatus.SUCCEEDED)
                .min(byObjective.thenComparingInt(TrainingJob::ordinal));
    }

    /** The final objectives of finished jobs, in the order they finished (ties by ordinal). */
    public List<FinishedObjective> finishedObjectives() {
        return jobs.stream().filter(j -> j.objectiveStatus() == ObjectiveStatus.SUCCEEDED && j.trainingEndTime() != null)
                .sorted(Comparator.comparing(TrainingJob::trainingEndTime).thenComparingInt(TrainingJob::ordinal))
                .map(j -> new FinishedObjective(j.objectiveValue(), j.trainingEndTime())).toList();
    }

    /** The completion criteria evaluated over the finished jobs. */
    public Completion.Result completion(TuningPlan plan) {
        return Completion.evaluate(plan.completion(), plan.goal(), finishedObjectives());
    }

    /** The finished jobs that count, in the order they were decided. */
    public List<TrainingJob> finishedCounted() {
        return jobs.stream().filter(j -> !j.isRunning() && !superseded.contains(j.name())).toList();
    }
}
