package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

class TuningJobLifecycleTest {
    @TempDir
    Path dir;
    TestServer server;
    SageMakerClient sm;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        sm = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createdJobIsDescribedInProgressWithItsArnAndTimes() {
        Instant before = Instant.now().minusMillis(1);
        String arn = sm.createHyperParameterTuningJob(Requests.minimalCreate("first-job")).hyperParameterTuningJobArn();
        assertThat(arn).isEqualTo("arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/first-job");

        DescribeHyperParameterTuningJobResponse d = sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("first-job"));
        assertThat(d.hyperParameterTuningJobName()).isEqualTo("first-job");
        assertThat(d.hyperParameterTuningJobArn()).isEqualTo(arn);
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.IN_PROGRESS);
        assertThat(d.creationTime()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(d.lastModifiedTime()).isEqualTo(d.creationTime());
        assertThat(d.hyperParameterTuningEndTime()).isNull();
        // training jobs take a second each: none can have finished yet, at most MaxParallel (2) run
        assertThat(d.trainingJobStatusCounters().completed()).isZero();
        assertThat(d.trainingJobStatusCounters().inProgress()).isBetween(0, 2);
        assertThat(d.objectiveStatusCounters().pending()).isEqualTo(d.trainingJobStatusCounters().inProgress());
        assertThat(d.hyperParameterTuningJobConfig().parameterRanges().continuousParameterRanges().get(0).name()).isEqualTo("lr");
        assertThat(d.trainingJobDefinition().algorithmSpecification().trainingImage()).isEqualTo(Requests.IMAGE);
    }

    @Test
    void aSecondJobWithTheSameNameInAnyCaseIsRejectedAsInUse() {
        sm.createHyperParameterTuningJob(Requests.minimalCreate("twin"));
        assertThatThrownBy(() -> sm.createHyperParameterTuningJob(Requests.minimalCreate("TWIN")))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("TWIN");
    }

    @Test
    void describingAMissingJobIsResourceNotFound() {
        assertThatThrownBy(() -> sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("nope")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("nope");
    }

    @Test
    void stopMovesThroughStoppingToStoppedAndSetsTheEndTime() throws Exception {
        sm.createHyperParameterTuningJob(Requests.minimalCreate("to-stop"));
        sm.stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("to-stop"));
        HyperParameterTuningJobStatus first = status("to-stop");
        assertThat(first).isIn(HyperParameterTuningJobStatus.STOPPING, HyperParameterTuningJobStatus.STOPPED);
        DescribeHyperParameterTuningJobResponse d = waitFor("to-stop", HyperParameterTuningJobStatus.STOPPED);
        assertThat(d.hyperParameterTuningEndTime()).isNotNull().isAfterOrEqualTo(d.creationTime());
        assertThat(d.lastModifiedTime()).isEqualTo(d.hyperParameterTuningEndTime());
        // stopping a stopped job is refused, not silently accepted
        assertThatThrownBy(() -> sm.stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("to-stop")))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("Stopped")
                .satisfies(e -> assertThat(((SageMakerException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void stoppingAMissingJobIsResourceNotFound() {
        assertThatThrownBy(() -> sm.stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("ghost")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void onlyTerminalJobsCanBeDeletedAndDeletionRemovesThemAndTheirTags() throws Exception {
        sm.createHyperParameterTuningJob(Requests.minimalCreate("doomed").toBuilder()
                .tags(t -> t.key("team").value("ml")).build());
        assertThatThrownBy(() -> sm.deleteHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("doomed")))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("InProgress")
                .satisfies(e -> assertThat(((SageMakerException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        String arn = sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("doomed")).hyperParameterTuningJobArn();

        sm.stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("doomed"));
        waitFor("doomed", HyperParameterTuningJobStatus.STOPPED);
        sm.deleteHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("doomed"));

        assertThatThrownBy(() -> sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("doomed")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> sm.listTags(r -> r.resourceArn(arn))).isInstanceOf(SageMakerException.class);
        // the name is free again, and the new job starts without the old tags
        sm.createHyperParameterTuningJob(Requests.minimalCreate("doomed"));
        assertThat(sm.listTags(r -> r.resourceArn(arn)).tags()).isEmpty();
    }

    private HyperParameterTuningJobStatus status(String name) {
        return sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name)).hyperParameterTuningJobStatus();
    }

    private DescribeHyperParameterTuningJobResponse waitFor(String name, HyperParameterTuningJobStatus wanted)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            DescribeHyperParameterTuningJobResponse d = sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
            if (d.hyperParameterTuningJobStatus() == wanted) return d;
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not reach " + wanted);
    }
}
