package dev.vernier.server;

import dev.vernier.testkit.Programs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.ObjectiveStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobEarlyStoppingType;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** TrainingJobEarlyStoppingType Auto with a real per-epoch program where half the configurations are hopeless. */
class EarlyStoppingTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();
    static final int EPOCHS = 12;

    @Test
    void hopelessJobsAreStoppedEarlyWhileTheGoodOnesFinish() {
        CreateHyperParameterTuningJobRequest r = Requests.create("auto", Programs.image("curve.sh"),
                Map.of("EPOCHS", Integer.toString(EPOCHS), "SLEEP_SECONDS", epochSeconds()), 12, 3);
        SHARED.client().createHyperParameterTuningJob(r.toBuilder().hyperParameterTuningJobConfig(r.hyperParameterTuningJobConfig()
                .toBuilder().randomSeed(11).trainingJobEarlyStoppingType(TrainingJobEarlyStoppingType.AUTO).build()).build());
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(SHARED.client(), "auto");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);

        List<HyperParameterTrainingJobSummary> jobs = SHARED.client().listTrainingJobsForHyperParameterTuningJobPaginator(q -> q
                .hyperParameterTuningJobName("auto")).trainingJobSummaries().stream().toList();
        assertThat(jobs).hasSize(12);
        List<HyperParameterTrainingJobSummary> stopped = jobs.stream()
                .filter(j -> j.trainingJobStatus() == TrainingJobStatus.STOPPED).toList();
        assertThat(stopped).isNotEmpty();
        assertThat(d.trainingJobStatusCounters().stopped()).isEqualTo(stopped.size());
        // every hopeless configuration (lr > 0.05) that started after three jobs had completed was stopped
        assertThat(stopped).anyMatch(j -> lr(j) > 0.05);
        for (HyperParameterTrainingJobSummary j : stopped) {
            assertThat(j.objectiveStatus()).isEqualTo(ObjectiveStatus.SUCCEEDED);
            assertThat(epochs(j)).isBetween(4, EPOCHS - 1);   // never before step 4, and before the end
            assertThat(j.finalHyperParameterTuningJobObjectiveMetric().value())
                    .isGreaterThan(d.bestTrainingJob().finalHyperParameterTuningJobObjectiveMetric().value());
            DescribeTrainingJobResponse t = SHARED.client().describeTrainingJob(q -> q.trainingJobName(j.trainingJobName()));
            assertThat(t.secondaryStatusAsString()).isEqualTo("Stopped");
        }
        // the good configurations ran every epoch; the best job is one of them
        assertThat(jobs.stream().filter(j -> j.trainingJobStatus() == TrainingJobStatus.COMPLETED))
                .isNotEmpty().allMatch(j -> epochs(j) == EPOCHS);
        assertThat(lr(jobs.stream().filter(j -> j.trainingJobName().equals(d.bestTrainingJob().trainingJobName()))
                .findFirst().orElseThrow())).isLessThanOrEqualTo(0.05);
        assertThat(d.bestTrainingJob().trainingJobStatus()).isEqualTo(TrainingJobStatus.COMPLETED);
    }

    /** How long each epoch takes: long enough for a stop to reach a job before its last epoch. */
    String epochSeconds() {
        return "0.15";
    }

    static double lr(HyperParameterTrainingJobSummary j) {
        return Double.parseDouble(j.tunedHyperParameters().get("lr"));
    }

    /** How many epochs the job's log shows. */
    static int epochs(HyperParameterTrainingJobSummary j) {
        String log = new RawClient(SHARED.server().endpoint()).get("/v1/training-jobs/" + j.trainingJobName() + "/log").body();
        return (int) java.util.regex.Pattern.compile("epoch=\\d+ loss").matcher(log).results().count();
    }
}
