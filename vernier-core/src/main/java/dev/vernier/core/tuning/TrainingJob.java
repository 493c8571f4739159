package dev.vernier.core.tuning;

import dev.vernier.core.training.RunHandle;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.TrainingJobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored training job of a tuning job, as an immutable snapshot. The lifecycle methods return
 * the next snapshot; once the status is terminal the record is final.
 *
 * @param ordinal      the NNN of the job's name: its place in the tuning job, from 1
 * @param retryable    for Failed: it failed for an internal reason, and a new job retries it
 * @param retryOf      the name of the job this one retries, or null
 * @param runHandle    the training backend's handle, null until launched
 * @param definition   the training-job definition it runs with (JSON), for DescribeTrainingJob
 * @param stopRequested StopTrainingJob asked for a stop (set by the API only; the controller acts on it)
 */
public record TrainingJob(
        String name,
        String arn,
        String tuningJobName,
        int ordinal,
        String definitionName,
        TrainingJobStatus status,
        String secondaryStatus,
        String failureReason,
        boolean retryable,
        String retryOf,
        Map<String, String> hyperParameters,
        Map<String, String> tunedHyperParameters,
        Instant creationTime,
        Instant trainingStartTime,
        Instant trainingEndTime,
        Instant lastModifiedTime,
        RunHandle runHandle,
        Double objectiveValue,
        ObjectiveStatus objectiveStatus,
        List<MetricValue> finalMetrics,
        String modelArtifact,
        List<StatusTransition> transitions,
        Long trainingSeconds,
        String definition,
        boolean stopRequested) {

    public TrainingJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tuningJobName, "tuningJobName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(objectiveStatus, "objectiveStatus");
        Objects.requireNonNull(definition, "definition");
        hyperParameters = Map.copyOf(hyperParameters);
        tunedHyperParameters = Map.copyOf(tunedHyperParameters);
        finalMetrics = List.copyOf(finalMetrics);
        transitions = List.copyOf(transitions);
    }

    /** A job decided by the controller and not launched yet. */
    public static TrainingJob starting(String name, String arn, String tuningJobName, int ordinal,
                                             String definitionName, Map<String, String> hyperParameters,
                                             Map<String, String> tuned, String retryOf, String definition,
                                             Instant now) {
        return new TrainingJob(name, arn, tuningJobName, ordinal, definitionName, TrainingJobStatus.IN_PROGRESS,
                "Starting", null, false, retryOf, hyperParameters, tuned, now, null, null, now, null, null,
                ObjectiveStatus.PENDING, List.of(), null,
                List.of(new StatusTransition("Starting", now, null, "Preparing the instances for training")), null,
                definition, false);
    }

    public boolean isLaunched() {
        return runHandle != null;
    }

    public boolean isRunning() {
        return !status.isTerminal();
    }

    /** Launched by the backend: training has begun. */
    public TrainingJob launched(RunHandle handle, Instant at) {
        return launched(handle, at, at);
    }

    /**
     * Launched by the backend, whose program started at {@code startedAt}: a program that is quick
     * (or a launch that is slow) can end before the launch is recorded, and its training must not
     * seem to start after it ended.
     */
    public TrainingJob launched(RunHandle handle, Instant startedAt, Instant at) {
        return new TrainingJob(name, arn, tuningJobName, ordinal, definitionName, status, "Training",
                failureReason, retryable, retryOf, hyperParameters, tunedHyperParameters, creationTime, startedAt, null, at,
                handle, objectiveValue, objectiveStatus, finalMetrics, modelArtifact,
                next(transitions, "Training", startedAt, "Training image download completed. Training in progress."),
                trainingSeconds, definition, stopRequested);
    }

    /**
     * Launched, but its program waits to start (in a cluster's queue): the job stays in SecondaryStatus
     * Starting, whose StatusMessage says why it waits.
     */
    public TrainingJob waiting(RunHandle handle, Instant at, String why) {
        List<StatusTransition> out = new ArrayList<>(transitions);
        StatusTransition last = out.isEmpty() ? null : out.getLast();
        if (last != null && last.status().equals("Starting") && last.end() == null) {
            out.set(out.size() - 1, new StatusTransition(last.status(), last.start(), null, why));
        } else {
            out = next(out, "Starting", at, why);
        }
        return new TrainingJob(name, arn, tuningJobName, ordinal, definitionName, status, "Starting",
                failureReason, retryable, retryOf, hyperParameters, tunedHyperParameters, creationTime, null, null, at,
                handle, objectiveValue, objectiveStatus, finalMetrics, modelArtifact, out, trainingSeconds, definition,
                stopRequested);
    }

    /** Launched and still waiting to start (see {@link #waiting}). */
    public boolean isWaiting() {
        return isLaunched() && status == TrainingJobStatus.IN_PROGRESS && "Starting".equals(secondaryStatus);
    }

    /** A newer handle (and possibly newer final metrics) from a poll; the job still runs. */
    public TrainingJob observed(RunHandle handle, List<MetricValue> metrics) {
        return new TrainingJob(name, arn, tuningJobName, ordinal, definitionName, status, secondaryStatus,
                failureReason, retryable, retryOf, hyperParameters, tunedHyperParameters, creationTime,
                trainingStartTime, trainingEndTime, lastModifiedTime, handle, objectiveValue, objectiveStatus,
                metrics, modelArtifact, transitions, trainingSeconds, definition, stopRequested);
    }

    /** A stop was asked for (by the user or the tuning job). */
    public TrainingJob stopping(RunHandle handle, Instant at) {
        requireMove(TrainingJobStatus.STOPPING);
        return new TrainingJob(name, arn, tuningJobName, ordinal, definitionName, TrainingJobStatus.STOPPING,
                "Stopping", failureReason, retryable, retryOf, hyperParameters, tunedHyperParameters, creationTime,
                trainingStartTime, trainingEndTime, at, handle, objectiveValue, objectiveStatus, finalMetrics,
                modelArtifact, next(transitions, "Stopping", at, "Stopping the training job"), trainingSeconds, definition, stopRequested);
    }

    /** The job ended; this snapshot is final. */
    public TrainingJob finished(TrainingJobStatus end, String secondary, String reason, boolean retryableFailure,
                                      RunHandle handle, List<MetricValue> metrics, Double objective, String artifact,
                                      Instant at, Long seconds, String message) {
        if (!end.isTerminal()) throw new IllegalArgumentException(end + " is not terminal");
        requireMove(end);
        ObjectiveStatus objectiveResult = objective != null ? ObjectiveStatus.SUCCEEDED : ObjectiveStatus.FAILED;
        List<StatusTransition> closed = new ArrayList<>(next(transitions, secondary, at, message));
        StatusTransition last = closed.remove(closed.size() - 1);
        closed.add(new StatusTransition(last.status(), last.start(), at, last.message()));
        return new TrainingJob(name, arn, tuningJobName, ordinal, definitionName, end, secondary, reason,
                retryableFailure, retryOf, hyperParameters, tunedHyperParameters, creationTime,
                trainingStartTime == null ? at : trainingStartTime, at, at, handle, objective, objectiveResult,
                metrics, artifact, closed, seconds, definition, stopRequested);
    }

    private void requireMove(TrainingJobStatus next) {
        if (!status.canMoveTo(next))
            throw new IllegalStateException("training job " + name + " cannot move from " + status.apiName() + " to "
                    + next.apiName());
    }

    private static List<StatusTransition> next(List<StatusTransition> transitions, String status, Instant at,
                                               String message) {
        List<StatusTransition> out = new ArrayList<>(transitions);
        if (!out.isEmpty()) {
            StatusTransition last = out.remove(out.size() - 1);
            if (last.status().equals(status)) {
                out.add(last);
                return out;
            }
            out.add(new StatusTransition(last.status(), last.start(), at, last.message()));
        }
        out.add(new StatusTransition(status, at, null, message));
        return out;
    }
}
