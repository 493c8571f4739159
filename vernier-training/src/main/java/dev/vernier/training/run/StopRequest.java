package dev.vernier.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.core.training.StopCause;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * The first request to stop a run, kept in its directory ({@code vernier/stop_requested.json}).
 * Written before the program is signalled: however the program then ends, the run is Stopped,
 * and a second request keeps the first one's time and cause.
 */
public record StopRequest(Instant at, StopCause cause) {
    public static final String FILE = "stop_requested.json";

    public StopRequest {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(cause, "cause");
    }

    /** The recorded request, or null. */
    public static StopRequest read(JobDirectory dir) throws IOException {
        JsonNode n = StateFiles.readJson(dir.state(FILE));
        if (n == null) return null;
        return new StopRequest(Instant.parse(n.get("at").asText()), StopCause.valueOf(n.get("cause").asText()));
    }

    public void write(JobDirectory dir) throws IOException {
        StateFiles.writeJson(dir.state(FILE), StateFiles.JSON.createObjectNode().put("at", at.toString())
                .put("cause", cause.name()));
    }
}
