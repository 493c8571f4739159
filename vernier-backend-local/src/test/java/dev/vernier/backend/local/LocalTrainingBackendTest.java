package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.metrics.FinalMetrics;
import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.TrainingEnvironment;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.log.LogLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class LocalTrainingBackendTest {
    @TempDir Path tmp;

    @Test
    void a_completed_job_reports_its_metrics_and_stores_its_model_artifact() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var spec = jobs.spec("completes.sh")
                .hyperParameters(Map.of("learning_rate", "0.1", "epochs", "3"))
                .environment(Map.of("MY_VARIABLE", "from-environment"))
                .metrics(new MetricDefinition("train:loss", "train_loss=([0-9.]+)"),
                        new MetricDefinition("validation:accuracy", "validation:accuracy=([0-9.]+)"))
                .build();

        var run = pollToEnd(backend, TestJobs.launch(backend, spec));

        assertThat(run.last.phase()).isEqualTo(Phase.FINISHED);
        var result = run.last.result();
        assertThat(result.status()).isEqualTo(Status.COMPLETED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.COMPLETED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.failureReason()).isNull();
        assertThat(result.trainingTimeInSeconds()).isPositive();
        assertThat(run.values("train:loss")).containsExactly(0.3, 0.2, 0.1, 0.05);   // last line had no newline
        assertThat(run.values("validation:accuracy")).containsExactly(0.6, 0.7, 0.8);
        assertThat(FinalMetrics.lastValues(run.points)).extracting(MetricPoint::name, MetricPoint::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("train:loss", 0.05),
                        org.assertj.core.groups.Tuple.tuple("validation:accuracy", 0.8));

        String prefix = "s3://models/out/" + spec.trainingJobName() + "/output/";
        assertThat(result.modelArtifactUri()).isEqualTo(prefix + "model.tar.gz");
        Path model = jobs.store.resolve(java.net.URI.create(prefix + "model.tar.gz"));
        assertThat(tarListing(model)).containsExactly("extra/", "extra/vocab.txt", "model.bin");
        assertThat(tarListing(jobs.store.resolve(java.net.URI.create(prefix + "output.tar.gz"))))
                .containsExactly("report.txt");

        String log = new String(backend.readLog(run.handle.toHandle(), 0, 1 << 20).bytes());
        Path jobDir = Path.of(run.handle.jobDir());
        assertThat(log).contains("hyperparameters: {\"epochs\":\"3\",\"learning_rate\":\"0.1\"}")
                .contains("lr=0.1 job=" + spec.trainingJobName() + " custom=from-environment cwd=" + jobDir)
                .contains("to stderr: warning");
        // Polling again after the end gives the same answer and no new points.
        var again = TestJobs.poll(backend, run.handle);
        assertThat(again.result()).isEqualTo(result);
        assertThat(again.newPoints()).isEmpty();
        // The server's own files: artifacts were packed straight into the store, no temporary copies.
        try (var files = Files.list(jobDir.resolve("vernier"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    "pid", "exit_code", "training.log", "launch.json", "handle.json", "result.json");
        }
    }

    @Test
    void the_job_directory_and_environment_follow_the_sagemaker_contract() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var spec = jobs.spec("no_metrics.sh").hyperParameters(Map.of("alpha", "1e-3", "layers", "4"))
                .channels(InputChannel.of("train", "s3://data/train/")).build();
        Files.createDirectories(jobs.store.root().resolve("data/train"));

        var run = pollToEnd(backend, TestJobs.launch(backend, spec));

        Path dir = Path.of(run.handle.jobDir());
        assertThat(dir).isEqualTo(tmp.resolve("jobs").resolve(spec.trainingJobName()));
        for (String sub : List.of("input/config", "input/data/train", "model", "output/data", "checkpoints"))
            assertThat(dir.resolve(sub)).isDirectory();
        var json = new ObjectMapper();
        assertThat(json.readTree(dir.resolve("input/config/hyperparameters.json").toFile()))
                .isEqualTo(json.readTree("{\"alpha\":\"1e-3\",\"layers\":\"4\"}"));
        var resources = json.readTree(dir.resolve("input/config/resourceconfig.json").toFile());
        assertThat(resources.get("current_host").asText()).isEqualTo("algo-1");
        assertThat(resources.get("hosts").toString()).isEqualTo("[\"algo-1\"]");
        assertThat(resources.get("network_interface_name").asText()).isEqualTo("eth0");
        var dataConfig = json.readTree(dir.resolve("input/config/inputdataconfig.json").toFile());
        assertThat(dataConfig.get("train").get("TrainingInputMode").asText()).isEqualTo("File");
        assertThat(dataConfig.get("train").get("S3DistributionType").asText()).isEqualTo("FullyReplicated");

        var env = TrainingEnvironment.of(spec, new JobDirectory(dir), TrainingHost.thisMachine());
        assertThat(env).containsEntry("SM_HP_ALPHA", "1e-3").containsEntry("SM_HP_LAYERS", "4")
                .containsEntry("SM_CHANNELS", "[\"train\"]")
                .containsEntry("SM_CHANNEL_TRAIN", dir.resolve("input/data/train").toString())
                .containsEntry("SM_MODEL_DIR", dir.resolve("model").toString())
                .containsEntry("SM_OUTPUT_DATA_DIR", dir.resolve("output/data").toString())
                .containsEntry("SM_CURRENT_HOST", "algo-1").containsEntry("SM_NUM_GPUS", "0")
                .containsEntry("TRAINING_JOB_NAME", spec.trainingJobName())
                .containsEntry("TRAINING_JOB_ARN", spec.trainingJobArn())
                .containsKeys("SM_HPS", "SM_INPUT_DIR", "SM_INPUT_CONFIG_DIR", "SM_OUTPUT_DIR", "SM_HOSTS",
                        "SM_NUM_CPUS", "SM_TRAINING_ENV");
        assertThat(json.readTree(env.get("SM_HPS")).get("alpha").asText()).isEqualTo("1e-3");
    }

    @Test
    void the_program_sees_sagemaker_variables_whose_names_are_not_shell_identifiers() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var spec = jobs.spec("prints_environment.sh").hyperParameters(Map.of("learning-rate", "0.1", "alpha", "2"))
                .channels(InputChannel.of("train-data", "s3://data/train/")).build();
        Files.createDirectories(jobs.store.root().resolve("data/train"));

        var run = pollToEnd(backend, TestJobs.launch(backend, spec));

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        Path dir = Path.of(run.handle.jobDir());
        assertThat(new String(backend.readLog(run.handle.toHandle(), 0, 1 << 20).bytes()).lines()).containsExactly(
                "SM_CHANNEL_TRAIN-DATA=" + dir.resolve("input/data/train-data"),
                "SM_HP_ALPHA=2",
                "SM_HP_LEARNING-RATE=0.1");
    }

    @Test
    void a_job_without_metrics_completes_with_no_points() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("no_metrics.sh").build()));

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.points).isEmpty();
        assertThat(FinalMetrics.objective(run.points, "loss")).isEmpty();
    }

    @Test
    void nan_infinite_and_unparsable_values_are_not_data_points() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("prints_nan.sh").build()));

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.values("loss")).containsExactly(0.25);
    }

    @Test
    void a_failing_job_reports_its_failure_file_truncated_to_1024_characters() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("fails_with_failure_file.sh").build()));

        var result = run.last.result();
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.FAILED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.failureReason()).startsWith("ValueError: learning_rate must be positive\nxxx").hasSize(1024);
        assertThat(result.modelArtifactUri()).isNull();
    }

    @Test
    void a_failing_job_without_failure_file_reports_its_exit_code_and_last_log_lines() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("fails.sh").build()));

        String reason = run.last.result().failureReason();
        assertThat(reason).startsWith("AlgorithmError: the training program exited with code 3. Last log lines:\n")
                .endsWith("working on batch 30\nTraceback: division by zero")
                .doesNotContain("batch 20\n");
        assertThat(reason.lines().count()).isEqualTo(11);
    }

    @Test
    void overlong_lines_are_skipped_and_carriage_returns_end_lines() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withPollBudget(LogLines.MAX_LINE_BYTES), jobs.store);
        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("long_lines.sh").build()));

        assertThat(run.values("loss")).containsExactly(1.0, 0.7, 0.5);
        assertThat(run.polls).isGreaterThan(3);   // 200 KB read 64 KB at a time
    }

    @Test
    void launching_the_same_job_again_returns_the_first_run() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var spec = jobs.spec("sleeps.sh").build();
        LocalRun first = TestJobs.launch(backend, spec);
        try {
            LocalRun second = TestJobs.launch(jobs.backend(), spec);
            assertThat(second).isEqualTo(first);
            assertThat(LocalRun.fromJson(first.toJson())).isEqualTo(first);
        } finally {
            TestJobs.stop(backend, first, dev.vernier.core.training.StopCause.USER_REQUEST);
            pollToEnd(backend, first);
        }
    }

    @Test
    void images_that_cannot_run_here_are_refused_before_launch() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withImagePrograms(
                Map.of("123.dkr.ecr.us-east-1.amazonaws.com/xgboost:1", jobs.program("completes.sh").toString())),
                jobs.store);

        backend.checkImage("123.dkr.ecr.us-east-1.amazonaws.com/xgboost:1");
        backend.checkImage("file://" + jobs.program("completes.sh"));
        assertThatThrownBy(() -> backend.checkImage("683313688378.dkr.ecr.us-east-1.amazonaws.com/other:1"))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("map the image to a local program");
        assertThatThrownBy(() -> backend.checkImage("file:///no/such/program"))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> backend.checkImage("file://relative/program"))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("file:///absolute/path");
        Path notExecutable = Files.writeString(tmp.resolve("plain.txt"), "x");
        assertThatThrownBy(() -> backend.checkImage("file://" + notExecutable))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("not executable");
        assertThatThrownBy(() -> TestJobs.launch(backend, jobs.spec("completes.sh").image("some/image:latest").build()))
                .isInstanceOf(UnsupportedImageException.class);
    }

    @Test
    void data_features_of_later_issues_are_refused_clearly() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        var spec = jobs.spec("completes.sh").outputPath("https://example.com/out").channels(
                new InputChannel("a", "s3://data/a", "ManifestFile", null, null, null, null, null),
                new InputChannel("b", "s3://data/b", null, null, null, "Gzip", null, "Pipe"),
                new InputChannel("c", "http://example.com/c", null, null, null, null, "RecordIO", null)).build();

        assertThatThrownBy(() -> backend.check(spec)).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("channel 'a': S3DataType ManifestFile is not supported yet")
                .hasMessageContaining("channel 'b': InputMode Pipe is not supported yet")
                .hasMessageContaining("channel 'b': CompressionType Gzip is not supported yet")
                .hasMessageContaining("channel 'c': RecordWrapperType RecordIO is not supported yet")
                .hasMessageContaining("channel 'c': S3Uri 'http://example.com/c' is not a location")
                .hasMessageContaining("S3OutputPath 'https://example.com/out'");
        var distributed = new dev.vernier.core.training.TrainingJobSpec(spec.trainingJobName(), spec.trainingJobArn(),
                null, spec.trainingImage(), "Pipe", Map.of(), Map.of(), List.of(), List.of(), "s3://models/out",
                new dev.vernier.core.training.TrainingJobSpec.Resources("ml.m5.large", 2, 10), 60, false);
        assertThatThrownBy(() -> TestJobs.launch(backend, distributed)).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("InstanceCount 2").hasMessageContaining("TrainingInputMode Pipe");
        assertThat(tmp.resolve("jobs").resolve(spec.trainingJobName())).doesNotExist();
    }

    static List<String> tarListing(Path tarGz) throws Exception {
        Process p = new ProcessBuilder("tar", "-tzf", tarGz.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        return out.lines().sorted().toList();
    }
}
