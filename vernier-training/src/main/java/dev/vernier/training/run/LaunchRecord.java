package dev.vernier.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What observing a launched job needs to know about it, kept in its directory
 * ({@code vernier/launch.json}), so that a handle stays small and a new server process needs
 * nothing else. Written just before the program starts: from then on a process may exist.
 */
public record LaunchRecord(String jobName, List<MetricDefinition> metricDefinitions, long maxRuntimeSeconds,
                           String outputPrefix, long logCapBytes, Instant launchTime) {
    public static final String FILE = "launch.json";

    public LaunchRecord {
        metricDefinitions = List.copyOf(metricDefinitions);
    }

    public static LaunchRecord of(TrainingJobSpec spec, long logCapBytes, Instant launchTime) {
        return new LaunchRecord(spec.trainingJobName(), spec.metricDefinitions(), spec.maxRuntimeInSeconds(),
                spec.outputPrefix(), logCapBytes, launchTime);
    }

    /** When MaxRuntimeInSeconds runs out. */
    public Instant deadline() {
        return launchTime.plusSeconds(maxRuntimeSeconds);
    }

    public void write(JobDirectory dir) throws IOException {
        ObjectNode n = StateFiles.JSON.createObjectNode();
        n.put("jobName", jobName).put("maxRuntimeSeconds", maxRuntimeSeconds).put("outputPrefix", outputPrefix)
                .put("logCapBytes", logCapBytes).put("launchTime", launchTime.toString());
        var defs = n.putArray("metricDefinitions");
        for (MetricDefinition d : metricDefinitions) defs.addObject().put("Name", d.name()).put("Regex", d.regex());
        StateFiles.writeJson(dir.state(FILE), n);
    }

    public static boolean exists(JobDirectory dir) {
        return Files.exists(dir.state(FILE));
    }

    public static LaunchRecord read(JobDirectory dir) throws IOException {
        JsonNode n = StateFiles.JSON.readTree(dir.state(FILE).toFile());
        List<MetricDefinition> defs = new ArrayList<>();
        for (JsonNode d : n.get("metricDefinitions"))
            defs.add(new MetricDefinition(d.get("Name").asText(), d.get("Regex").asText()));
        return new LaunchRecord(n.get("jobName").asText(), defs, n.get("maxRuntimeSeconds").asLong(),
                n.get("outputPrefix").asText(), n.get("logCapBytes").asLong(), Instant.parse(n.get("launchTime").asText()));
    }
}
