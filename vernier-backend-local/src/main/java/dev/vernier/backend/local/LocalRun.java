package dev.vernier.backend.local;

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
 * The local backend's run handle: what it needs to find a run again, also after a restart, written
 * as the JSON text of a {@link RunHandle}. Immutable: every poll and stop returns the next one.
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

    private static final ObjectMapper JSON = new ObjectMapper();

    public LocalRun {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(jobDir, "jobDir");
        Objects.requireNonNull(launchTime, "launchTime");
        if ((stopRequestedAt == null) != (stopCause == null))
            throw new IllegalArgumentException("stopRequestedAt and stopCause come together");
        if (logOffset < 0) throw new IllegalArgumentException("logOffset must not be negative");
    }

    public LocalRun withLog(long offset, boolean inLongLine) {
        return new LocalRun(jobName, jobDir, pid, processStartTicks, offset, inLongLine, launchTime,
                stopRequestedAt, stopCause);
    }

    public LocalRun withStop(Instant at, StopCause cause) {
        return new LocalRun(jobName, jobDir, pid, processStartTicks, logOffset, inLongLine, launchTime, at, cause);
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("jobName", jobName).put("jobDir", jobDir).put("pid", pid)
                .put("processStartTicks", processStartTicks).put("logOffset", logOffset)
                .put("inLongLine", inLongLine).put("launchTime", launchTime.toString());
        if (stopRequestedAt != null)
            n.put("stopRequestedAt", stopRequestedAt.toString()).put("stopCause", stopCause.name());
        return n.toString();
    }

    public RunHandle toHandle() {
        return new RunHandle(toJson());
    }

    public static LocalRun from(RunHandle handle) {
        return fromJson(handle.value());
    }

    public static LocalRun fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode stopAt = n.get("stopRequestedAt");
            return new LocalRun(n.get("jobName").asText(), n.get("jobDir").asText(), n.get("pid").asLong(),
                    n.get("processStartTicks").asLong(), n.get("logOffset").asLong(),
                    n.path("inLongLine").asBoolean(false), Instant.parse(n.get("launchTime").asText()),
                    stopAt == null ? null : Instant.parse(stopAt.asText()),
                    stopAt == null ? null : StopCause.valueOf(n.get("stopCause").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("not a stored run handle: " + json, e);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a stored run handle: " + json, e);
        }
    }
}
