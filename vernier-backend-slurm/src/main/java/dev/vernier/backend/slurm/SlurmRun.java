package dev.vernier.backend.slurm;

import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.StopCause;
import dev.vernier.training.run.RunFields;
import java.time.Instant;

/**
 * The Slurm backend's run handle, written as the JSON text of a {@link RunHandle}: the Slurm job
 * that runs the training job, besides the {@link RunFields} every handle has. Immutable: every poll
 * and stop returns the next one.
 *
 * @param slurmJobId the id {@code sbatch} answered (or that the job was found by, see {@code SlurmTrainingBackend#poll}),
 *                   or 0 while it is not known yet: launch answers before sbatch has, and a poll learns it
 */
public record SlurmRun(String jobName, String jobDir, long slurmJobId, long logOffset, boolean inLongLine,
                       Instant launchTime, Instant stopRequestedAt, StopCause stopCause) {
    public SlurmRun {
        new RunFields(jobName, jobDir, logOffset, inLongLine, launchTime, stopRequestedAt, stopCause);   // checks them
        if (slurmJobId < 0) throw new IllegalArgumentException("slurmJobId must not be negative");
    }

    private SlurmRun(RunFields f, long slurmJobId) {
        this(f.jobName(), f.jobDir(), slurmJobId, f.logOffset(), f.inLongLine(), f.launchTime(), f.stopRequestedAt(),
                f.stopCause());
    }

    /** Whether sbatch's answer is known. */
    public boolean submitted() {
        return slurmJobId > 0;
    }

    public SlurmRun withJobId(long id) {
        return new SlurmRun(jobName, jobDir, id, logOffset, inLongLine, launchTime, stopRequestedAt, stopCause);
    }

    public SlurmRun withLog(long offset, boolean longLine) {
        return new SlurmRun(jobName, jobDir, slurmJobId, offset, longLine, launchTime, stopRequestedAt, stopCause);
    }

    public SlurmRun withStop(Instant at, StopCause cause) {
        return new SlurmRun(jobName, jobDir, slurmJobId, logOffset, inLongLine, launchTime, at, cause);
    }

    public String toJson() {
        return new RunFields(jobName, jobDir, logOffset, inLongLine, launchTime, stopRequestedAt, stopCause).toJson()
                .put("slurmJobId", slurmJobId).toString();
    }

    public RunHandle toHandle() {
        return new RunHandle(toJson());
    }

    public static SlurmRun from(RunHandle handle) {
        return fromJson(handle.value());
    }

    public static SlurmRun fromJson(String json) {
        return RunFields.read(json, n -> new SlurmRun(RunFields.of(n), n.get("slurmJobId").asLong()));
    }
}
