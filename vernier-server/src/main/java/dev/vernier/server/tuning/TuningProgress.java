package dev.vernier.server.tuning;

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
public record TuningProgress(List<TrainingJobRecord> jobs, Set<String> superseded) {

    public static TuningProgress of(List<TrainingJobRecord> jobs) {
        Set<String> superseded = new HashSet<>();
        for (TrainingJobRecord j : jobs) if (j.retryOf() != null) superseded.add(j.retryOf());
        return new TuningProgress(List.copyOf(jobs), Set.copyOf(superseded));
    }

    /** Jobs that count towards MaxNumberOfTrainingJobs. */
    public long counted() {
        return jobs.stream().filter(j -> !superseded.contains(j.name())).count();
    }

    public List<TrainingJobRecord> running() {
        return jobs.stream().filter(TrainingJobRecord::isRunning).toList();
    }

    /** Failed jobs to retry now: internal failures, not yet retried, with attempts left. */
    public List<TrainingJobRecord> toRetry(Map<String, Integer> maxRetriesByDefinition) {
        Map<String, TrainingJobRecord> byName = new HashMap<>();
        jobs.forEach(j -> byName.put(j.name(), j));
        return jobs.stream()
                .filter(j -> j.status() == TrainingJobStatus.FAILED && j.retryable() && !superseded.contains(j.name()))
                .filter(j -> attempts(j, byName) <= maxRetriesByDefinition.getOrDefault(
                        j.definitionName() == null ? TuningPlan.SINGLE : j.definitionName(), 0))
                .toList();
    }

    private static int attempts(TrainingJobRecord job, Map<String, TrainingJobRecord> byName) {
        int n = 1;
        for (TrainingJobRecord j = job; j.retryOf() != null && byName.containsKey(j.retryOf()); j = byName.get(j.retryOf()))
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
    public Optional<TrainingJobRecord> best(Goal goal) {
        Comparator<TrainingJobRecord> byObjective = Comparator.comparingDouble(TrainingJobRecord::objectiveValue);
        if (goal == Goal.MAXIMIZE) byObjective = byObjective.reversed();
        return jobs.stream().filter(j -> j.objectiveStatus() == ObjectiveStatus.SUCCEEDED)
                .min(byObjective.thenComparingInt(TrainingJobRecord::ordinal));
    }

    /** The final objectives of finished jobs, in the order they finished (ties by ordinal). */
    public List<FinishedObjective> finishedObjectives() {
        return jobs.stream().filter(j -> j.objectiveStatus() == ObjectiveStatus.SUCCEEDED && j.trainingEndTime() != null)
                .sorted(Comparator.comparing(TrainingJobRecord::trainingEndTime).thenComparingInt(TrainingJobRecord::ordinal))
                .map(j -> new FinishedObjective(j.objectiveValue(), j.trainingEndTime())).toList();
    }

    /** The completion criteria evaluated over the finished jobs. */
    public Completion.Result completion(TuningPlan plan) {
        return Completion.evaluate(plan.completion(), plan.goal(), finishedObjectives());
    }

    /** The finished jobs that count, in the order they were decided. */
    public List<TrainingJobRecord> finishedCounted() {
        return jobs.stream().filter(j -> !j.isRunning() && !superseded.contains(j.name())).toList();
    }
}
