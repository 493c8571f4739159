package dev.vernier.backend.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.StopCause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/**
 * The Slurm backend's run handle, written as the JSON text of a {@link RunHandle}: the Slurm job
 * that runs the training job, its directory on the shared file system and how far its log has
 * been read. Immutable: every poll and stop returns the next one.
 *
 * @param slurmJobId       the id {@code sbatch} answered (or that the job was found by, see {@code SlurmTrainingBackend#poll}),
 *                         or 0 while it is not known yet: launch answers before sbatch has, and a poll learns it
 * @param logOffset        bytes of the log already parsed for metrics
 * @param inLongLine       the log offset is inside an overlong line whose rest is skipped
 * @param stopRequestedAt  when a stop was first asked for, or null
 * @param stopCause        why, or null
 */
public record SlurmRun(String jobName, String jobDir, long slurmJobId, long logOffset, boolean inLongLine,
                       Instant launchTime, Instant stopRequestedAt, StopCause stopCause) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SlurmRun {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(jobDir, "jobDir");
        Objects.requireNonNull(launchTime, "launchTime");
        if (slurmJobId < 0) throw new IllegalArgumentException("slurmJobId must not be negative");
        if (logOffset < 0) throw new IllegalArgumentException("logOffset must not be negative");
        if ((stopRequestedAt == null) != (stopCause == null))
            throw new IllegalArgumentException("stopRequestedAt and stopCause come together");
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
        ObjectNode n = JSON.createObjectNode();
        n.put("jobName", jobName).put("jobDir", jobDir).put("slurmJobId", slurmJobId).put("logOffset", logOffset)
                .put("inLongLine", inLongLine).put("launchTime", launchTime.toString());
        if (stopRequestedAt != null)
            n.put("stopRequestedAt", stopRequestedAt.toString()).put("stopCause", stopCause.name());
        return n.toString();
    }

    public RunHandle toHandle() {
        return new RunHandle(toJson());
    }

    public static SlurmRun from(RunHandle handle) {
        return fromJson(handle.value());
    }

    public static SlurmRun fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode stopAt = n.get("stopRequestedAt");
            return new SlurmRun(n.get("jobName").asText(), n.get("jobDir").asText(), n.get("slurmJobId").asLong(),
                    n.get("logOffset").asLong(), n.path("inLongLine").asBoolean(false),
                    Instant.parse(n.get("launchTime").asText()),
                    stopAt == null ? null : Instant.parse(stopAt.asText()),
                    stopAt == null ? null : StopCause.valueOf(n.get("stopCause").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("not a stored Slurm run handle: " + json, e);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a stored Slurm run handle: " + json, e);
        }
    }
}
