package dev.vernier.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theLiveViewShowsWhyTheLastFailedTrainingJobFailed() throws Exception {
        JsonNode describe = JSON.readTree("""
                {"HyperParameterTuningJobName": "t", "HyperParameterTuningJobStatus": "InProgress",
                 "HyperParameterTuningJobConfig": {"Strategy": "Random", "ResourceLimits": {"MaxNumberOfTrainingJobs": 4},
                   "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"}},
                 "TrainingJobStatusCounters": {"NonRetryableError": 2, "InProgress": 1}}""");
        List<JsonNode> jobs = List.of(
                JSON.readTree("{\"TrainingJobName\": \"t-001\", \"TrainingJobStatus\": \"Failed\", \"TrainingEndTime\": 20,"
                        + " \"FailureReason\": \"AlgorithmError: the training program exited with code 1\"}"),
                JSON.readTree("{\"TrainingJobName\": \"t-002\", \"TrainingJobStatus\": \"Failed\", \"TrainingEndTime\": 30,"
                        + " \"FailureReason\": \"AlgorithmError: the training program exited with code 3. Last log lines:\\nbatch 30\\n"
                        + "Traceback: division by zero\"}"),
                JSON.readTree("{\"TrainingJobName\": \"t-003\", \"TrainingJobStatus\": \"InProgress\"}"));
        List<String> lines = ProgressView.lines(new TuningSnapshot(describe, jobs), Duration.ofSeconds(5), 200);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("Last failure: t-002: AlgorithmError: the training program exited "
                + "with code 3. Last log lines: … Traceback: division by zero");
        assertThat(ProgressView.lines(new TuningSnapshot(describe, jobs.subList(2, 3)), Duration.ofSeconds(5), 200))
                .noneMatch(l -> l.startsWith("Last failure"));
    }
}
