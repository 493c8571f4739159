package dev.vernier.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.cli.aws.SageMakerHttp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** One look at a tuning job: its Describe and all its training jobs, in creation order. */
public record TuningSnapshot(JsonNode describe, List<JsonNode> trainingJobs) {
    public static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Stopped", "DeleteFailed");

    public static TuningSnapshot fetch(SageMakerHttp http, String name) {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("HyperParameterTuningJobName", name);
        JsonNode describe = http.call("DescribeHyperParameterTuningJob", request);
        List<JsonNode> jobs = new ArrayList<>();
        ObjectNode list = request.deepCopy().put("MaxResults", 100).put("SortBy", "CreationTime").put("SortOrder", "Ascending");
        while (true) {
            JsonNode page = http.call("ListTrainingJobsForHyperParameterTuningJob", list);
            page.path("TrainingJobSummaries").forEach(jobs::add);
            String next = page.path("NextToken").asText("");
            if (next.isEmpty()) break;
            list.put("NextToken", next);
        }
        jobs.sort(Comparator.comparingDouble((JsonNode j) -> j.path("CreationTime").asDouble())
                .thenComparing(j -> j.path("TrainingJobName").asText()));
        return new TuningSnapshot(describe, jobs);
    }

    public String name() {
        return describe.path("HyperParameterTuningJobName").asText();
    }

    public String status() {
        return describe.path("HyperParameterTuningJobStatus").asText();
    }

    public boolean isTerminal() {
        return TERMINAL.contains(status());
    }

    /** 0 Completed, 1 Failed (or DeleteFailed), 2 Stopped: the exit code of watch and wait. */
    public int exitCode() {
        return switch (status()) {
            case "Completed" -> 0;
            case "Stopped" -> 2;
            default -> 1;
        };
    }

    public String metricName() {
        return describe.path("HyperParameterTuningJobConfig").path("HyperParameterTuningJobObjective").path("MetricName").asText("objective");
    }

    public boolean minimize() {
        return !"Maximize".equals(describe.path("HyperParameterTuningJobConfig").path("HyperParameterTuningJobObjective").path("Type").asText());
    }

    public int maxJobs() {
        return describe.path("HyperParameterTuningJobConfig").path("ResourceLimits").path("MaxNumberOfTrainingJobs").asInt(0);
    }

    public String strategy() {
        return describe.path("HyperParameterTuningJobConfig").path("Strategy").asText();
    }

    public JsonNode counters() {
        return describe.path("TrainingJobStatusCounters");
    }

    public int finished() {
        JsonNode c = counters();
        return c.path("Completed").asInt() + c.path("NonRetryableError").asInt() + c.path("Stopped").asInt();
    }

    public int running() {
        return counters().path("InProgress").asInt();
    }

    public JsonNode best() {
        return describe.path("BestTrainingJob");
    }

    /** Objective values of the training jobs that have one, in the order they ended. */
    public List<Double> objectives() {
        List<JsonNode> done = new ArrayList<>();
        for (JsonNode j : trainingJobs) if (j.has("FinalHyperParameterTuningJobObjectiveMetric")) done.add(j);
        done.sort(Comparator.comparingDouble((JsonNode j) -> j.path("TrainingEndTime").asDouble(Double.MAX_VALUE)));
        List<Double> values = new ArrayList<>();
        for (JsonNode j : done) values.add(j.path("FinalHyperParameterTuningJobObjectiveMetric").path("Value").asDouble());
        return values;
    }
}
