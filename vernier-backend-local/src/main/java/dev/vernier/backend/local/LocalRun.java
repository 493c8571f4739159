package dev.vernier.backend.local;

import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.StopCause;
import dev.vernier.training.run.RunFields;
import java.time.Instant;

/**
 * The local backend's run handle: what it needs to find a run again, also after a restart, written
 * as the JSON text of a {@link RunHandle}: its process, besides the {@link RunFields} every handle has.
 * Immutable: every poll and stop returns the next one.
 *
 * @param jobDir             the job's directory (the local backend's /opt/ml)
 * @param pid                the run's supervising process, also its process group and session id
 * @param processStartTicks  that process's start time (/proc/&lt;pid&gt;/stat field 22), so a reused pid is not mistaken for it; -1 when unknown
 * @param logOffset          bytes of the log already parsed for metrics
 * @param inLongLine         the log offset is inside an overlong line whose rest is skipped
 * @param stopRequestedAt    when a stop was first asked for, or null
 * @param stopCause          why, or null
 */
public record LocalRun(
        String jobName,
        String jobDir,
        long pid,
        long processStartTicks,
        long logOffset,
        boolean inLongLine,
        Instant launchTime,
        Instant stopRequestedAt,
        StopCause stopCause) {

    public LocalRun {
        new RunFields(jobName, jobDir, logOffset, inLongLine, launchTime, stopRequestedAt, stopCause);   // checks them
    }

    private LocalRun(RunFields f, long pid, long processStartTicks) {
        this(f.jobName(), f.jobDir(), pid, processStartTicks, f.logOffset(), f.inLongLine(), f.launchTime(),
                f.stopRequestedAt(), f.stopCause());
    }

    public LocalRun withLog(long offset, boolean inLongLine) {
        return new LocalRun(jobName, jobDir, pid, processStartTicks, offset, inLongLine, launchTime,
                stopRequestedAt, stopCause);
    }

    public LocalRun withStop(Instant at, StopCause cause) {
        return new LocalRun(jobName, jobDir, pid, processStartTicks, logOffset, inLongLine, launchTime, at, cause);
    }

    public String toJson() {
        return new RunFields(jobName, jobDir, logOffset, inLongLine, launchTime, stopRequestedAt, stopCause).toJson()
                .put("pid", pid).put("processStartTicks", processStartTicks).toString();
    }

    public RunHandle toHandle() {
        return new RunHandle(toJson());
    }

    public static LocalRun from(RunHandle handle) {
        return fromJson(handle.value());
    }

    public static LocalRun fromJson(String json) {
        return RunFields.read(json, n -> new LocalRun(RunFields.of(n), n.get("pid").asLong(),
                n.get("processStartTicks").asLong()));
    }
}
