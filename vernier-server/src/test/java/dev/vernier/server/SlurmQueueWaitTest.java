package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.server.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * While Slurm holds a training job in its queue, DescribeTrainingJob says so as SageMaker says an
 * instance is being prepared: InProgress / Starting, with Slurm's reason in the StatusMessage; no
 * training time counts until the program starts.
 */
@ExtendWith(OnSlurm.class)
class SlurmQueueWaitTest {
    @TempDir
    Path dir;

    @AfterEach
    void cancelJobs() {
        SlurmJobs.cancelUnder(dir);
    }

    @Test
    void aJobWaitingInSlurmsQueueIsStartingWithSlurmsReasonUntilStopped() {
        try (TestServer server = TestServer.start(dir.resolve("data"), training -> {
            Map<String, String> slurm = new HashMap<>(training.backendSettings());
            slurm.put("slurm-sbatch-options", "--begin=now+3600");   // Slurm holds the job: reason BeginTime
            return new Settings.Training(training.backend(), training.maxConcurrentJobs(), training.logCapBytes(),
                    training.stopGracePeriod(), training.objectStoreDir(), slurm);
        })) {
            server.client().createHyperParameterTuningJob(Requests.create("queued", Requests.IMAGE, Map.of(), 1, 1));
            DescribeTrainingJobResponse t = awaitStatusMessage(server, "BeginTime");

            assertThat(t.trainingJobStatus()).isEqualTo(TrainingJobStatus.IN_PROGRESS);
            assertThat(t.secondaryStatus()).isEqualTo(SecondaryStatus.STARTING);
            assertThat(t.secondaryStatusTransitions()).hasSize(1);
            assertThat(t.secondaryStatusTransitions().getFirst().statusMessage())
                    .isEqualTo("Waiting in Slurm's queue (reason: BeginTime)");
            assertThat(t.trainingStartTime()).isNull();

            server.client().stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("queued"));
            Waits.until(server.client(), "queued", Duration.ofSeconds(120), Set.of(HyperParameterTuningJobStatus.STOPPED));
            DescribeTrainingJobResponse stopped = server.client().describeTrainingJob(r -> r.trainingJobName(t.trainingJobName()));
            assertThat(stopped.trainingJobStatus()).isEqualTo(TrainingJobStatus.STOPPED);
            assertThat(stopped.secondaryStatusTransitions()).extracting(s -> s.statusAsString())
                    .containsExactly("Starting", "Stopping", "Stopped");
        }
    }

    private static DescribeTrainingJobResponse awaitStatusMessage(TestServer server, String text) {
        Instant deadline = Instant.now().plusSeconds(120);
        DescribeTrainingJobResponse last = null;
        while (Instant.now().isBefore(deadline)) {
            var jobs = server.client().listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("queued"))
                    .trainingJobSummaries();
            if (!jobs.isEmpty()) {
                last = server.client().describeTrainingJob(r -> r.trainingJobName(jobs.getFirst().trainingJobName()));
                String message = last.secondaryStatusTransitions().getLast().statusMessage();
                if (message != null && message.contains(text)) return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no training job said '" + text + "' within 120 s; last seen: " + last);
    }
}
