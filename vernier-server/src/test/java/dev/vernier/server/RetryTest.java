package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

class RetryTest {
    @TempDir
    Path dir;

    @Test
    void aTrainingProcessKilledFromOutsideIsARetryableErrorAndIsRetriedWithTheSameHyperparameters() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            SageMakerClient sm = server.client();
            sm.createHyperParameterTuningJob(Requests.create("lost", Requests.IMAGE, Map.of("SLEEP_SECONDS", "2"), 2, 1));
            while (SchedulingTest.running(sm, "lost") < 1) Thread.sleep(50);
            String victim = SchedulingTest.jobs(sm, "lost").get(0).trainingJobName();
            Path pidFile = dir.resolve("jobs").resolve(victim).resolve("vernier/pid");
            while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) Thread.sleep(20);
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            // the whole process group, wrapper included: no exit status is ever recorded
            assertThat(new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor()).isZero();

            var d = Waits.terminal(sm, "lost");
            assertThat(d.trainingJobStatusCounters().retryableError()).isEqualTo(1);
            assertThat(d.trainingJobStatusCounters().completed()).isEqualTo(2);
            List<HyperParameterTrainingJobSummary> jobs = SchedulingTest.jobs(sm, "lost");
            assertThat(jobs).hasSize(3);
            HyperParameterTrainingJobSummary lost = jobs.stream().filter(j -> j.trainingJobName().equals(victim)).findFirst().orElseThrow();
            assertThat(lost.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
            assertThat(lost.failureReason()).startsWith("InternalServerError");
            assertThat(jobs.stream().filter(j -> j.trainingJobStatus() == TrainingJobStatus.COMPLETED)
                    .map(HyperParameterTrainingJobSummary::tunedHyperParameters))
                    .as("the retry ran the lost job's configuration").contains(lost.tunedHyperParameters());
        }
    }
}
