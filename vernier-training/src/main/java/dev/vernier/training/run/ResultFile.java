package dev.vernier.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.RunResult;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.time.Instant;

/** How a run ended, once decided, kept in {@code vernier/result.json}: every later observation gives the same answer. */
public final class ResultFile {
    public static final String FILE = "result.json";

    private ResultFile() {}

    /** The recorded result, or null while none is. */
    public static RunResult read(JobDirectory dir) throws IOException {
        JsonNode n = StateFiles.readJson(dir.state(FILE));
        if (n == null) return null;
        return new RunResult(Status.valueOf(n.get("status").asText()),
                SecondaryStatus.valueOf(n.get("secondaryStatus").asText()),
                n.hasNonNull("failureReason") ? n.get("failureReason").asText() : null,
                n.hasNonNull("exitCode") ? n.get("exitCode").asInt() : null,
                n.hasNonNull("modelArtifactUri") ? n.get("modelArtifactUri").asText() : null,
                Instant.parse(n.get("startTime").asText()), Instant.parse(n.get("endTime").asText()));
    }

    public static void write(JobDirectory dir, RunResult r) throws IOException {
        ObjectNode n = StateFiles.JSON.createObjectNode();
        n.put("status", r.status().name()).put("secondaryStatus", r.secondaryStatus().name())
                .put("failureReason", r.failureReason()).put("modelArtifactUri", r.modelArtifactUri())
                .put("startTime", r.startTime().toString()).put("endTime", r.endTime().toString());
        if (r.exitCode() != null) n.put("exitCode", r.exitCode());
        StateFiles.writeJson(dir.state(FILE), n);
    }
}
