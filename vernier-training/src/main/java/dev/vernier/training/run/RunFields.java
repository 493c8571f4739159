package dev.vernier.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.training.StopCause;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/**
 * What every backend's run handle records besides how it finds its program: the job, its directory,
 * how far its log has been parsed, when it was launched and the first stop asked for. Each backend's
 * handle is these fields and its own in one JSON object.
 *
 * @param logOffset        bytes of the log already parsed for metrics
 * @param inLongLine       the log offset is inside an overlong line whose rest is skipped
 * @param stopRequestedAt  when a stop was first asked for, or null
 * @param stopCause        why, or null
 */
public record RunFields(String jobName, String jobDir, long logOffset, boolean inLongLine, Instant launchTime,
                        Instant stopRequestedAt, StopCause stopCause) {
    public RunFields {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(jobDir, "jobDir");
        Objects.requireNonNull(launchTime, "launchTime");
        if (logOffset < 0) throw new IllegalArgumentException("logOffset must not be negative");
        if ((stopRequestedAt == null) != (stopCause == null))
            throw new IllegalArgumentException("stopRequestedAt and stopCause come together");
    }

    /** These fields as a new JSON object, for the backend to add its own. */
    public ObjectNode toJson() {
        ObjectNode n = StateFiles.JSON.createObjectNode();
        n.put("jobName", jobName).put("jobDir", jobDir).put("logOffset", logOffset).put("inLongLine", inLongLine)
                .put("launchTime", launchTime.toString());
        if (stopRequestedAt != null) n.put("stopRequestedAt", stopRequestedAt.toString()).put("stopCause", stopCause.name());
        return n;
    }

    /** These fields of a handle's JSON object. */
    public static RunFields of(JsonNode n) {
        JsonNode stopAt = n.get("stopRequestedAt");
        return new RunFields(n.get("jobName").asText(), n.get("jobDir").asText(), n.get("logOffset").asLong(),
                n.path("inLongLine").asBoolean(false), Instant.parse(n.get("launchTime").asText()),
                stopAt == null ? null : Instant.parse(stopAt.asText()),
                stopAt == null ? null : StopCause.valueOf(n.get("stopCause").asText()));
    }

    /**
     * Reads a stored handle with {@code reader}, its JSON object to the handle.
     *
     * @throws IllegalArgumentException when {@code json} is not such a handle
     */
    public static <T> T read(String json, java.util.function.Function<JsonNode, T> reader) {
        try {
            return reader.apply(StateFiles.JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("not a stored run handle: " + json, e);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a stored run handle: " + json, e);
        }
    }
}
