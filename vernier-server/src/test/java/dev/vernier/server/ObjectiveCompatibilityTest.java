package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CategoricalParameterRange;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobObjectiveType;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSortByOptions;

/**
 * A tuning job whose training jobs report a plain objective, one beyond float range ({@code 1e39}), none, or fail:
 * the out-of-range value is ignored as the documented infinities are, a listing sorted by objective leaves out the
 * jobs without one (as the model's documentation says), and a job without a model artifact has no ModelArtifacts.
 */
class ObjectiveCompatibilityTest {
    @TempDir
    Path dir;

    @Test
    void objectivesBeyondFloatRangeMissingObjectivesAndMissingArtifactsAreLeftOut() throws Exception {
        Path program = dir.resolve("train");
        Files.writeString(program, """
                #!/bin/sh
                case "$SM_HP_MODE" in
                  fine) echo "loss=0.5"; echo model > "$SM_MODEL_DIR/model.txt" ;;
                  huge) echo "loss=1e39" ;;
                  none) echo "no metric here" ;;
                  fail) echo "failing on purpose" > "$SM_OUTPUT_DIR/failure"; exit 3 ;;
                esac
                """);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        // reachable by the job user (nobody) when the tests run as root
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            SageMakerClient sm = server.client();
            CreateHyperParameterTuningJobRequest r = Requests.create("compat", "file://" + program, Map.of(), 4, 4);
            sm.createHyperParameterTuningJob(r.toBuilder().hyperParameterTuningJobConfig(
                    r.hyperParameterTuningJobConfig().toBuilder().strategy("Grid")
                            .hyperParameterTuningJobObjective(o -> o.type(HyperParameterTuningJobObjectiveType.MAXIMIZE)
                                    .metricName("loss"))
                            .resourceLimits(l -> l.maxNumberOfTrainingJobs(4).maxParallelTrainingJobs(4))
                            .parameterRanges(p -> p.categoricalParameterRanges(CategoricalParameterRange.builder()
                                    .name("mode").values("fine", "huge", "none", "fail").build()))
                            .build()).build());
            DescribeHyperParameterTuningJobResponse done = Waits.terminal(sm, "compat");
            Map<String, String> modes = sm.listTrainingJobsForHyperParameterTuningJob(q -> q
                    .hyperParameterTuningJobName("compat")).trainingJobSummaries().stream()
                    .collect(Collectors.toMap(HyperParameterTrainingJobSummary::trainingJobName,
                            s -> s.tunedHyperParameters().get("mode")));
            assertThat(modes).hasSize(4);
            String fine = name(modes, "fine"), huge = name(modes, "huge"), fail = name(modes, "fail");

            assertThat(done.bestTrainingJob().trainingJobName()).isEqualTo(fine);
            assertThat(done.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value()).isEqualTo(0.5f);
            assertThat(sm.describeTrainingJob(q -> q.trainingJobName(huge)).finalMetricDataList()).isEmpty();

            for (String order : List.of("Ascending", "Descending")) {
                assertThat(sm.listTrainingJobsForHyperParameterTuningJob(q -> q.hyperParameterTuningJobName("compat")
                        .sortBy(TrainingJobSortByOptions.FINAL_OBJECTIVE_METRIC_VALUE).sortOrder(order))
                        .trainingJobSummaries()).extracting(HyperParameterTrainingJobSummary::trainingJobName)
                        .containsExactly(fine);
            }

            DescribeTrainingJobResponse failed = sm.describeTrainingJob(q -> q.trainingJobName(fail));
            assertThat(failed.trainingJobStatusAsString()).isEqualTo("Failed");
            assertThat(failed.modelArtifacts()).isNull();
            RawClient.Response raw = new RawClient(server.endpoint()).call("DescribeTrainingJob",
                    "{\"TrainingJobName\": \"" + fail + "\"}");
            assertThat(raw.body()).doesNotContain("ModelArtifacts").doesNotContain("S3ModelArtifacts");
            assertThat(sm.describeTrainingJob(q -> q.trainingJobName(fine)).modelArtifacts().s3ModelArtifacts())
                    .endsWith("/output/model.tar.gz");
        }
    }

    private static String name(Map<String, String> modes, String mode) {
        return modes.entrySet().stream().filter(e -> e.getValue().equals(mode)).findFirst().orElseThrow().getKey();
    }
}
