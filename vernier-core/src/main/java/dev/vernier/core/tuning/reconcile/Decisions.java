package dev.vernier.core.tuning.reconcile;

import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.TuningJobStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one pass decided for one tuning job, in the order the controller stores and acts on it:
 * decisions about running jobs, the finishing reason, stop requests, new training jobs with the
 * strategy's new state, and the end of the tuning job.
 *
 * @param jobDecisions   stops by a stopping rule and Hyperband promotions (a stop also requests it)
 * @param finishing      a newly decided reason to end early (completion criteria, runtime limit), or null
 * @param stopRequests   training jobs to stop because the tuning job is finishing
 * @param newJobs        training jobs to store and start, retries first
 * @param strategyState  the strategy's state to store with the new jobs (stored only with new jobs)
 * @param end            the tuning job's end, or null while it goes on
 * @param judgedSteps    the stopping rule's memory to keep for the next pass
 */
public record Decisions(List<JobDecision> jobDecisions, String finishing, List<String> stopRequests,
                       List<NewTrainingJob> newJobs, String strategyState, End end, Map<String, Integer> judgedSteps) {

    /**
     * The tuning job ends in {@code status}; {@code failureReason} only for Failed.
     *
     * @param silentJob  when it failed because its jobs gave no objective: a training job whose output
     *                   the controller may search for the line closest to {@code objectiveRegex}, else null
     */
    public record End(TuningJobStatus status, String failureReason, String silentJob, String objectiveRegex) {
        public End {
            Objects.requireNonNull(status, "status");
            if (!status.isTerminal()) throw new IllegalArgumentException(status + " is not an end");
        }

        public End(TuningJobStatus status, String failureReason) {
            this(status, failureReason, null, null);
        }
    }

    public Decisions {
        jobDecisions = List.copyOf(jobDecisions);
        stopRequests = List.copyOf(stopRequests);
        newJobs = List.copyOf(newJobs);
        judgedSteps = Map.copyOf(judgedSteps);
    }

    static Decisions end(TuningJobStatus status, String failureReason, Map<String, Integer> judgedSteps) {
        return new Decisions(List.of(), null, List.of(), List.of(), null, new End(status, failureReason), judgedSteps);
    }

    public boolean isEmpty() {
        return jobDecisions.isEmpty() && finishing == null && stopRequests.isEmpty() && newJobs.isEmpty() && end == null;
    }
}
