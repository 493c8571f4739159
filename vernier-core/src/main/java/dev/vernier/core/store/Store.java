package dev.vernier.core.store;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable state, shared by every server that uses the same database. Every method is one
 * transaction; snapshots returned never change afterwards; names are looked up regardless of case.
 *
 * <p>Concurrency: a tuning job's row is written by compare-and-set on its {@link TuningJob#version()}
 * (the API's Stop and the controller may race; the loser reads again). Everything the controller
 * writes for a tuning job carries the {@link Lease} it holds on it, and the store refuses a write
 * whose lease is no longer the job's ({@link StaleLeaseException}): a server that lost its lease
 * while paused cannot act on stale state. A null lease marks a write on a user's behalf (the API),
 * which is not fenced.
 */
public interface Store extends AutoCloseable {

    // ---- Tuning jobs

    /** Stores a new job and its tags atomically; false (and nothing written) when the name is taken. */
    boolean createTuningJob(TuningJob job, List<Tag> tags);

    Optional<TuningJob> tuningJob(String name);

    Page<TuningJob> listTuningJobs(TuningJobQuery query);

    /** The jobs in any of the given statuses, oldest first. */
    List<TuningJob> tuningJobsIn(Set<TuningJobStatus> statuses);

    /**
     * Writes what changes over a job's life (status, times, failure reason, strategy state, finishing
     * reason) if the stored job still has {@code changed.version()}. Answers the job as now stored
     * (the next version), or empty when it was written in between (read it again) or is gone.
     *
     * @throws StaleLeaseException when {@code lease} is not null and no longer the job's
     */
    Optional<TuningJob> updateTuningJob(TuningJob changed, Lease lease);

    /**
     * Deletes the job and its tags when its status is one of {@code deletable} and none of its training
     * jobs is still running (they would be left without a tuning job to stop them).
     */
    DeleteResult deleteTuningJob(String name, Set<TuningJobStatus> deletable);

    enum DeleteResult { DELETED, NOT_FOUND, NOT_DELETABLE, TRAINING_JOBS_RUNNING }

    // ---- Leases: which server drives which tuning job

    /**
     * Renews every lease {@code owner} holds and takes up to {@code maxNew} more, oldest job first, among
     * the tuning jobs that need driving (InProgress, Stopping, or with training jobs still running)
     * whose lease is free or expired at {@code now}. A lease taken over gets a greater fence. Answers
     * every lease {@code owner} holds afterwards, each valid until {@code now + ttl}.
     */
    List<Lease> acquireLeases(String owner, Instant now, Duration ttl, int maxNew);

    /** Gives up every lease of {@code owner} (a clean shutdown), so that another server takes them at once. */
    void releaseLeases(String owner);

    /**
     * Records that server {@code owner} is alive until {@code now + ttl} (a null {@code ttl}: it is
     * leaving) and answers how many servers are alive at {@code now}, this one included, so that each
     * takes its share of the tuning jobs. A store that only one server uses at a time answers 1.
     */
    default int heartbeat(String owner, Instant now, Duration ttl) {
        return 1;
    }

    // ---- Training jobs

    /**
     * Stores newly decided training jobs together with the tuning job's new state ({@code changed},
     * compare-and-set as in {@link #updateTuningJob}). Answers the tuning job as now stored, or empty,
     * with nothing written, when it was written in between.
     *
     * @throws StaleLeaseException when the lease is no longer the tuning job's
     */
    Optional<TuningJob> addTrainingJobs(TuningJob changed, List<TrainingJob> jobs, Lease lease);

    /**
     * Stores a running training job's new lifecycle state (status, times, handle, metrics, outcome:
     * what the lifecycle methods of {@link TrainingJob} change; its name, hyperparameters and definition
     * are fixed when it is added) and appends its new metric points, atomically. Returns false, writing
     * nothing, when the stored job has already finished (finished jobs are final).
     *
     * @throws StaleLeaseException when {@code lease} is not null and no longer its tuning job's
     */
    boolean updateTrainingJob(TrainingJob job, List<MetricPoint> newPoints, Lease lease);

    Optional<TrainingJob> trainingJob(String name);

    /** The training jobs of a tuning job, in the order they were decided. */
    List<TrainingJob> trainingJobsOf(String tuningJobName);

    Page<TrainingJob> listTrainingJobs(TrainingJobQuery query);

    /** Every metric data point of a training job, in the order it was logged. */
    List<MetricPoint> metricSeries(String trainingJobName);

    /** Training jobs not finished yet, across all tuning jobs, oldest first. */
    List<TrainingJob> unfinishedTrainingJobs();

    /**
     * Records a request to stop a running training job (StopTrainingJob, or the controller ending its
     * tuning job); whoever drives the job acts on it. Returns the job as stored, or empty when there is
     * no such job.
     */
    Optional<TrainingJob> requestTrainingJobStop(String name);

    // ---- Decisions about running training jobs

    /**
     * Stores decisions and, for those that stop a job, its stop request, atomically. A training job
     * keeps its first stop decision, a promotion is stored once per rung, and nothing is written for
     * a job that has already finished.
     *
     * @throws StaleLeaseException when the lease is no longer the tuning job's
     */
    void recordDecisions(List<JobDecision> decisions, Lease lease);

    /** The decisions about a tuning job's training jobs, in the order they were taken. */
    List<JobDecision> decisions(String tuningJobName);

    // ---- Tags

    List<Tag> tags(String resourceArn);

    /** Adds or overwrites tags unless the resource would then carry more than {@code maxTags}. */
    boolean addTags(String resourceArn, List<Tag> tags, int maxTags);

    void deleteTags(String resourceArn, List<String> keys);

    // ---- The dashboard's sign-ins: sessions signed out, failed attempts

    /**
     * Records that the dashboard session {@code sessionId}, which expires at {@code expires}, was
     * signed out, so that every server on this store refuses it; forgets sessions that expired before {@code now}.
     */
    void recordSignOut(String sessionId, Instant expires, Instant now);

    /** Whether the dashboard session {@code sessionId} that expires at {@code expires} was signed out. */
    boolean signedOut(String sessionId, Instant expires);

    /** Records a failed dashboard sign-in from {@code client} at {@code at}; forgets every failure before {@code forgetBefore}. */
    void recordFailedSignIn(String client, Instant at, Instant forgetBefore);

    /** The failed dashboard sign-ins from {@code client} at or after {@code since}, oldest first. */
    List<Instant> failedSignIns(String client, Instant since);

    /** Forgets the failed dashboard sign-ins from {@code client} (it has signed in). */
    void clearFailedSignIns(String client);

    @Override
    void close();
}
