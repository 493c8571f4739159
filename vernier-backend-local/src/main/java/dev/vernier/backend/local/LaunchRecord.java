package dev.vernier.backend.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.StopCause;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a poll needs to know about a launched job, kept in its directory ({@code vernier/launch.json})
 * so that the handle stays small and a new server process needs nothing else.
 */
record LaunchRecord(String jobName, List<MetricDefinition> metricDefinitions, long maxRuntimeSeconds,
                    String outputPrefix, long logCapBytes, Instant launchTime) {
    static final String FILE = Wrapper.DIR + "/launch.json";
    static final String STOP_FILE = Wrapper.DIR + "/stop_requested.json";

    void write(Path jobDir) throws IOException {
        ObjectNode n = JobDirectory.json().createObjectNode();
        n.put("jobName", jobName).put("maxRuntimeSeconds", maxRuntimeSeconds).put("outputPrefix", outputPrefix)
                .put("logCapBytes", logCapBytes).put("launchTime", launchTime.toString());
        var defs = n.putArray("metricDefinitions");
        for (MetricDefinition d : metricDefinitions) defs.addObject().put("Name", d.name()).put("Regex", d.regex());
        JobDirectory.writeJson(jobDir.resolve(FILE), n);
    }

    static LaunchRecord read(Path jobDir) throws IOException {
        JsonNode n = JobDirectory.json().readTree(jobDir.resolve(FILE).toFile());
        List<MetricDefinition> defs = new ArrayList<>();
        for (JsonNode d : n.get("metricDefinitions")) defs.add(new MetricDefinition(d.get("Name").asText(), d.get("Regex").asText()));
        return new LaunchRecord(n.get("jobName").asText(), defs, n.get("maxRuntimeSeconds").asLong(),
                n.get("outputPrefix").asText(), n.get("logCapBytes").asLong(), Instant.parse(n.get("launchTime").asText()));
    }

    /** A stop request as recorded in the job directory: the first request's time and cause, or null. */
    record StopRequest(Instant at, StopCause cause) {
        static StopRequest read(Path jobDir) throws IOException {
            Path file = jobDir.resolve(STOP_FILE);
            if (!Files.exists(file)) return null;
            JsonNode n = JobDirectory.json().readTree(file.toFile());
            return new StopRequest(Instant.parse(n.get("at").asText()), StopCause.valueOf(n.get("cause").asText()));
        }

        void write(Path jobDir) throws IOException {
            JobDirectory.writeJson(jobDir.resolve(STOP_FILE),
                    JobDirectory.json().createObjectNode().put("at", at.toString()).put("cause", cause.name()));
        }
    }
}
