package dev.vernier.core.completion;

/**
 * SageMaker's {@code TuningJobCompletionCriteria}; each member is optional.
 *
 * @param targetObjectiveValue        finish once the best objective reaches it (null: no target)
 * @param maxJobsNotImproving         BestObjectiveNotImproving.MaxNumberOfTrainingJobsNotImproving (0: off)
 * @param completeOnConvergence       ConvergenceDetected.CompleteOnConvergence is Enabled
 */
public record CompletionCriteria(Double targetObjectiveValue, int maxJobsNotImproving, boolean completeOnConvergence) {
    public static final CompletionCriteria NONE = new CompletionCriteria(null, 0, false);

    public CompletionCriteria {
        if (maxJobsNotImproving < 0) throw new IllegalArgumentException("maxJobsNotImproving < 0");
    }
}
