package dev.vernier.server;

import dev.vernier.testkit.Programs;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.ObjectiveStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** Tuning jobs that really run training programs, observed through the official client. */
class TuningRunTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();

    @Test
    void aTuningJobRunsEveryTrainingJobAndReportsTheBestOne() throws Exception {
        SHARED.client().createHyperParameterTuningJob(Requests.create("runs", Requests.IMAGE, Map.of("EPOCHS", "3", "SLEEP_SECONDS", "0.2"), 6, 3));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(SHARED.client(), "runs");

        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        assertThat(d.trainingJobStatusCounters().completed()).isEqualTo(6);
        assertThat(d.trainingJobStatusCounters().inProgress()).isZero();
        assertThat(d.objectiveStatusCounters().succeeded()).isEqualTo(6);
        assertThat(d.hyperParameterTuningEndTime()).isAfterOrEqualTo(d.creationTime());
        assertThat(d.consumedResources().runtimeInSeconds()).isPositive();

        List<HyperParameterTrainingJobSummary> jobs = SHARED.client().listTrainingJobsForHyperParameterTuningJobPaginator(r -> r
                .hyperParameterTuningJobName("runs").sortBy("FinalObjectiveMetricValue").sortOrder("Ascending"))
                .trainingJobSummaries().stream().toList();
        assertThat(jobs).hasSize(6);
        assertThat(jobs).extracting(HyperParameterTrainingJobSummary::trainingJobName)
                .allMatch(n -> n.matches("runs-00[1-6]-[0-9a-f]{8}"));
        assertThat(jobs).isSortedAccordingTo(Comparator.comparing(j -> j.finalHyperParameterTuningJobObjectiveMetric().value()));
        HyperParameterTrainingJobSummary best = jobs.get(0);
        assertThat(d.bestTrainingJob().trainingJobName()).isEqualTo(best.trainingJobName());
        // the objective is the last value the program printed: 1000 (lr - 0.05)^2 + 1/3
        double lr = Double.parseDouble(best.tunedHyperParameters().get("lr"));
        assertThat((double) best.finalHyperParameterTuningJobObjectiveMetric().value())
                .isCloseTo(1000 * (lr - 0.05) * (lr - 0.05) + 1.0 / 3, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(best.objectiveStatus()).isEqualTo(ObjectiveStatus.SUCCEEDED);
        assertThat(best.finalHyperParameterTuningJobObjectiveMetric().metricName()).isEqualTo("loss");

        DescribeTrainingJobResponse t = SHARED.client().describeTrainingJob(r -> r.trainingJobName(best.trainingJobName()));
        assertThat(t.trainingJobStatus()).isEqualTo(TrainingJobStatus.COMPLETED);
        assertThat(t.secondaryStatusAsString()).isEqualTo("Completed");
        assertThat(t.tuningJobArn()).isEqualTo(d.hyperParameterTuningJobArn());
        assertThat(t.hyperParameters()).containsEntry("lr", best.tunedHyperParameters().get("lr"))
                .containsEntry("_tuning_objective_metric", "loss");
        assertThat(t.finalMetricDataList()).singleElement()
                .satisfies(m -> assertThat(m.metricName()).isEqualTo("loss"));
        assertThat(t.secondaryStatusTransitions()).extracting(s -> s.statusAsString())
                .containsExactly("Starting", "Training", "Completed");
        assertThat(t.trainingTimeInSeconds()).isPositive();
        assertThat(t.modelArtifacts().s3ModelArtifacts()).isEqualTo("s3://bucket/output/" + t.trainingJobName() + "/output/model.tar.gz");
        assertThat(SHARED.dataDir().resolve("s3/bucket/output/" + t.trainingJobName() + "/output/model.tar.gz")).isRegularFile();

        RawClient.Response log = new RawClient(SHARED.server().endpoint()).get("/v1/training-jobs/" + t.trainingJobName() + "/log");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.body()).contains("epoch=3 loss=").contains("\"EndOfLog\":true");
    }

    @Test
    void aProgramThatAlwaysFailsFailsTheTuningJobAfterThreeJobsWithTheProgramsReason() {
        SHARED.client().createHyperParameterTuningJob(Requests.create("broken", Programs.image("fails.sh"), Map.of(), 10, 1));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(SHARED.client(), "broken");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.FAILED);
        assertThat(d.trainingJobStatusCounters().nonRetryableError()).isEqualTo(3);
        assertThat(d.failureReason()).contains("first 3 training jobs failed").contains("exited with code 3");
        assertThat(d.bestTrainingJob()).isNull();
        String first = SHARED.client().listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("broken"))
                .trainingJobSummaries().get(0).trainingJobName();
        DescribeTrainingJobResponse t = SHARED.client().describeTrainingJob(r -> r.trainingJobName(first));
        assertThat(t.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
        assertThat(t.failureReason()).contains("Traceback: division by zero");
    }

    @Test
    void jobsWithoutTheObjectiveCountAsObjectiveFailuresAndTheTuningJobFails() {
        SHARED.client().createHyperParameterTuningJob(Requests.create("silent", Programs.image("no_metrics.sh"), Map.of(), 2, 2));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(SHARED.client(), "silent");
        assertThat(d.trainingJobStatusCounters().completed()).isEqualTo(2);
        assertThat(d.objectiveStatusCounters().failed()).isEqualTo(2);
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.FAILED);
        assertThat(d.failureReason()).contains("objective metric");
    }

    @Test
    void anObjectiveRegexThatNeverMatchesFailsTheTuningJobAfterThreeJobsNamingTheRegexAndTheClosestLine() {
        SHARED.client().createHyperParameterTuningJob(Requests.create("near-miss", Programs.image("near_miss_metric.sh"),
                Map.of(), 12, 1));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(SHARED.client(), "near-miss");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.FAILED);
        assertThat(d.trainingJobStatusCounters().completed()).isEqualTo(3);
        assertThat(d.failureReason())
                .startsWith("The first 3 training jobs ended without a value of the objective metric 'loss'")
                .contains("regex 'loss=([0-9.eE+-]+)'")
                .contains("looked closest: 'validation loss: 0.25'")
                .doesNotContain("null");
    }

    @Test
    void nanAndInfinityAreIgnoredAndTheLastFiniteValueIsTheObjective() {
        SHARED.client().createHyperParameterTuningJob(Requests.create("nan", Programs.image("prints_nan.sh"), Map.of(), 1, 1));
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(SHARED.client(), "nan");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        assertThat(d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value()).isEqualTo(0.25f);
    }

    @Test
    void aJobOverItsMaxRuntimeIsStoppedAsMaxRuntimeExceeded() {
        SHARED.client().createHyperParameterTuningJob(Requests.create("slow", Programs.image("hangs_with_grandchild.sh"), Map.of(), 1, 1)
                .toBuilder().applyMutation(b -> b.trainingJobDefinition(Requests.minimalCreate("x").trainingJobDefinition()
                        .toBuilder().algorithmSpecification(a -> a.trainingImage(Programs.image("hangs_with_grandchild.sh"))
                                .trainingInputMode("File").metricDefinitions(m -> m.name("loss").regex("loss=([0-9.]+)")))
                        .stoppingCondition(s -> s.maxRuntimeInSeconds(1)).build())).build());
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(SHARED.client(), "slow");
        assertThat(d.trainingJobStatusCounters().stopped()).isEqualTo(1);
        String job = SHARED.client().listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("slow"))
                .trainingJobSummaries().get(0).trainingJobName();
        DescribeTrainingJobResponse t = SHARED.client().describeTrainingJob(r -> r.trainingJobName(job));
        assertThat(t.trainingJobStatus()).isEqualTo(TrainingJobStatus.STOPPED);
        assertThat(t.secondaryStatusAsString()).isEqualTo("MaxRuntimeExceeded");
        // its last objective value counts
        assertThat(d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value()).isEqualTo(0.9f);
    }

    @Test
    void anImageThatCannotRunHereIsRefusedAtCreate() {
        RawClient.Response r = new RawClient(SHARED.server().endpoint()).call("CreateHyperParameterTuningJob",
                Requests.createJson("noimage", "683313688378.dkr.ecr.us-east-1.amazonaws.com/xgboost:1"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("ValidationException").contains("cannot run").contains("trainingJobDefinition");
        assertThat(Files.exists(SHARED.dataDir().resolve("jobs"))).isTrue();
    }
}
