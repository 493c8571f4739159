package dev.vernier.core.tuning;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored tuning job, as an immutable snapshot. {@code spec} is the request document the protocol
 * stored (its canonical Create request, without Tags); everything that changes over the job's life
 * has its own field, and each change is a new snapshot made by the methods below.
 *
 * @param strategyState   what the strategy handed back to remember (Grid's position...), or null
 * @param finishingReason why the job ends before its budget is spent (a completion criterion or
 *                        the runtime limit), once decided; the first reason stays
 * @param version         how many times the stored row was written; a write succeeds only on the
 *                        version it read (compare-and-set), so two writers never overwrite each other
 */
public record TuningJob(
        String name,
        String arn,
        TuningJobStatus status,
        String strategy,
        Instant creationTime,
        Instant lastModifiedTime,
        Instant endTime,
        String failureReason,
        String spec,
        String strategyState,
        String finishingReason,
        long version) {

    public TuningJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(creationTime, "creationTime");
        Objects.requireNonNull(lastModifiedTime, "lastModifiedTime");
        Objects.requireNonNull(spec, "spec");
        if (version < 0) throw new IllegalArgumentException("version must not be negative");
    }

    /** A job just created: InProgress, nothing decided yet, version 0. */
    public static TuningJob created(String name, String arn, String strategy, Instant at, String spec) {
        return new TuningJob(name, arn, TuningJobStatus.IN_PROGRESS, strategy, at, at, null, null, spec, null, null, 0);
    }

    /**
     * The job moved to {@code next}, as the transition table of {@link TuningJobStatus} allows; a
     * terminal status stamps the end time. A null {@code reason} keeps the stored failure reason.
     *
     * @throws IllegalStateException for a move the table does not allow
     */
    public TuningJob moveTo(TuningJobStatus next, Instant at, String reason) {
        if (!status.canMoveTo(next))
            throw new IllegalStateException("tuning job " + name + " cannot move from " + status.apiName() + " to "
                    + next.apiName());
        return new TuningJob(name, arn, next, strategy, creationTime, at, next.isTerminal() ? at : endTime,
                reason != null ? reason : failureReason, spec, strategyState, finishingReason, version);
    }

    /** Decided to end before its budget is spent; the first reason stays. */
    public TuningJob finishing(String reason) {
        if (finishingReason != null) return this;
        return new TuningJob(name, arn, status, strategy, creationTime, lastModifiedTime, endTime, failureReason, spec,
                strategyState, Objects.requireNonNull(reason, "reason"), version);
    }

    public TuningJob withStrategyState(String state) {
        return new TuningJob(name, arn, status, strategy, creationTime, lastModifiedTime, endTime, failureReason, spec,
                state, finishingReason, version);
    }

    /** This snapshot as the store holds it after writing it once more. */
    public TuningJob nextVersion() {
        return new TuningJob(name, arn, status, strategy, creationTime, lastModifiedTime, endTime, failureReason, spec,
                strategyState, finishingReason, version + 1);
    }
}
