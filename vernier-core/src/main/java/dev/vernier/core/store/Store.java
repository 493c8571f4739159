package dev.vernier.core.store;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable state. Every method is one transaction; snapshots returned never change afterwards.
 * Names are looked up regardless of case.
 */
public interface Store extends AutoCloseable {

    /** Stores a new job and its tags atomically; false (and nothing written) when the name is taken. */
    boolean createTuningJob(TuningJob job, List<Tag> tags);

    Optional<TuningJob> tuningJob(String name);

    Page<TuningJob> listTuningJobs(TuningJobQuery query);

    /** The jobs in any of the given statuses (the controller's work list), oldest first. */
    List<TuningJob> tuningJobsIn(Set<TuningJobStatus> statuses);

    /**
     * Moves a job from one of {@code from} to {@code to}, stamping the modification time (and the end
     * time when {@code to} is terminal). Returns the updated job, or empty when it was not in
     * {@code from} (or does not exist).
     */
    Optional<TuningJob> transitionTuningJob(String name, Set<TuningJobStatus> from, TuningJobStatus to,
                                                  Instant at, String failureReason);

    /** Deletes the job and its tags when its status is one of {@code deletable}. */
    DeleteResult deleteTuningJob(String name, Set<TuningJobStatus> deletable);

    enum DeleteResult { DELETED, NOT_FOUND, NOT_DELETABLE }

    /** Stores newly decided training jobs and the strategy's new state, atomically. */
    void addTrainingJobs(String tuningJobName, List<TrainingJob> jobs, String strategyState);

    /**
     * Stores a running training job's new lifecycle state (status, times, handle, metrics, outcome:
     * what the lifecycle methods of {@link TrainingJob} change; its name, hyperparameters and
     * definition are fixed when it is added) and appends its new metric points, atomically. Returns
     * false, writing nothing, when the stored job has already finished (finished jobs are final).
     */
    boolean updateTrainingJob(TrainingJob job, List<MetricPoint> newPoints);

    Optional<TrainingJob> trainingJob(String name);

    /** The training jobs of a tuning job, in the order they were decided. */
    List<TrainingJob> trainingJobsOf(String tuningJobName);

    Page<TrainingJob> listTrainingJobs(TrainingJobQuery query);

    /** Every metric data point of a training job, in the order it was logged. */
    List<MetricPoint> metricSeries(String trainingJobName);

    Optional<String> strategyState(String tuningJobName);

    /** Training jobs not finished yet, across all tuning jobs, oldest first. */
    List<TrainingJob> unfinishedTrainingJobs();

    /**
     * Records StopTrainingJob's request on a running job; the controller acts on it. Returns the
     * job as stored, or empty when there is no such job.
     */
    Optional<TrainingJob> requestTrainingJobStop(String name);

    /**
     * Records that a completion criterion (or the runtime limit) ended an InProgress tuning job; the
     * first reason stays. Returns the stored reason, or empty when the job is not InProgress.
     */
    Optional<String> markFinishing(String tuningJobName, String reason);

    /** The reason stored by {@link #markFinishing}, if any. */
    Optional<String> finishingReason(String tuningJobName);

    /**
     * Stores a decision to stop a running training job and requests the stop, atomically. A job
     * keeps its first decision; nothing is written for a job that has already finished.
     */
    void recordStopDecision(StopDecision decision);

    /** The stop decisions of a tuning job's training jobs, by training-job name. */
    java.util.Map<String, StopDecision> stopDecisions(String tuningJobName);

    /** Records that a training job was promoted at a Hyperband rung (reached {@code step} and continues). */
    void recordPromotion(String trainingJobName, String tuningJobName, int step, Instant at);

    /** The highest rung each training job of a tuning job was promoted at, by training-job name. */
    java.util.Map<String, Integer> promotions(String tuningJobName);

    List<Tag> tags(String resourceArn);

    /** Adds or overwrites tags unless the resource would then carry more than {@code maxTags}. */
    boolean addTags(String resourceArn, List<Tag> tags, int maxTags);

    void deleteTags(String resourceArn, List<String> keys);

    @Override
    void close();
}
