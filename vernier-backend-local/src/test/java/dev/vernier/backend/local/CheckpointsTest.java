package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.TrainingJobSpec.Checkpoints;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** CheckpointConfig: copied to the object store while the job runs and when it ends, restored into its retry. */
@ExtendWith(KillsLeftoverJobs.class)
class CheckpointsTest {
    @TempDir Path tmp;
    private TestJobs jobs;
    private LocalTrainingBackend backend;

    @BeforeEach
    void setUp() {
        jobs = new TestJobs(tmp);
        backend = jobs.backend();
    }

    @Test
    void aKilledJobsCheckpointsAreRestoredIntoItsRetryWhichResumesFromThem() throws Exception {
        TrainingJobSpec first = spec(Map.of("KILL_SELF", "1"), null, null);
        var killed = pollToEnd(backend, TestJobs.launch(backend, first));
        assertThat(killed.last.result().status()).isEqualTo(Status.FAILED);
        Path saved = jobs.store.root().resolve("ckpt/run").resolve(first.trainingJobName());
        assertThat(saved.resolve("step")).hasContent("1\n");
        assertThat(saved.resolve("deep/w.txt")).hasContent("weights 1\n");

        TrainingJobSpec retry = spec(Map.of("KILL_SELF", "1"), first.trainingJobName(), null);
        var resumed = pollToEnd(backend, TestJobs.launch(backend, retry));

        assertThat(resumed.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(new String(backend.readLog(resumed.handle.toHandle(), 0, 4096).bytes())).startsWith("resumed from 1\n");
        Path savedAgain = jobs.store.root().resolve("ckpt/run").resolve(retry.trainingJobName());
        assertThat(savedAgain.resolve("step")).hasContent("2\n");
        assertThat(savedAgain.resolve("deep/w.txt")).hasContent("weights 2\n");
    }

    @Test
    void checkpointsAreCopiedWhileTheProgramStillRuns() throws Exception {
        Path go = tmp.resolve("go");
        TrainingJobSpec spec = spec(Map.of("WAIT_FOR", go.toString()), null, null);
        var handle = TestJobs.launch(backend, spec);
        Path saved = jobs.store.root().resolve("ckpt/run").resolve(spec.trainingJobName()).resolve("step");

        var run = TestJobs.pollUntil(backend, handle, Duration.ofSeconds(20), r -> Files.exists(saved));
        assertThat(run.last.isTerminal()).as("still running when its checkpoint was copied").isFalse();
        assertThat(saved).hasContent("1\n");
        Files.writeString(go, "go");
        assertThat(pollToEnd(backend, run.handle).last.result().status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void aLocalPathOutsideTheJobsOptMlOrALocationTheStoreCannotWriteIsRefused() throws Exception {
        assertThatThrownBy(() -> backend.check(spec(Map.of(), null, "/var/checkpoints")))
                .isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("CheckpointConfig.LocalPath '/var/checkpoints' is not supported yet");
        TrainingJobSpec s = spec(Map.of(), null, null);
        TrainingJobSpec elsewhere = withCheckpoints(s, Checkpoints.of("gs://bucket/x", null, s.trainingJobName(), null));
        assertThatThrownBy(() -> backend.check(elsewhere)).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("CheckpointConfig.S3Uri");
    }

    private TrainingJobSpec spec(Map<String, String> environment, String retryOf, String localPath) throws Exception {
        var builder = jobs.spec("checkpoints.sh");
        builder.environment = environment;
        TrainingJobSpec s = builder.build();
        return withCheckpoints(s, Checkpoints.of("s3://ckpt/run/", localPath, s.trainingJobName(), retryOf));
    }

    private static TrainingJobSpec withCheckpoints(TrainingJobSpec s, Checkpoints c) {
        return new TrainingJobSpec(s.trainingJobName(), s.trainingJobArn(), s.tuningJobName(), s.trainingImage(),
                s.trainingInputMode(), s.hyperParameters(), s.environment(), s.metricDefinitions(), s.inputChannels(),
                s.s3OutputPath(), s.resources(), s.maxRuntimeInSeconds(), s.enableNetworkIsolation(), c);
    }
}
