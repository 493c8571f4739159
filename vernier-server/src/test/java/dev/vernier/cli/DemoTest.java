package dev.vernier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vernier demo, on a small budget: the real example program trains real models. */
class DemoTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "wine").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** As root, programs run as nobody, who needs search permission on the directories above their job directories. */
    @org.junit.jupiter.api.BeforeEach
    void reachableByTheJobUser() {
        dir.toFile().setExecutable(true, false);
    }

    @Test
    void theDemoCompletesOnItsOwnServerAndReportsTheBestTrainingJob() {
        Path dataDir = dir.resolve("demo");
        Cli.Result demo = Cli.withoutCredentials(dir).run("demo", "--max-jobs", "3", "--max-parallel", "2", "--plain",
                "--data-dir", dataDir.toString(), "--example", EXAMPLE.toString(), "--name", "wine-test");
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.stdout()).contains("Tuning job wine-test Completed in ").contains("3/3 training jobs done")
                .containsPattern("Watch it in the browser \\(signed in, one-time link\\): http://127\\.0\\.0\\.1:\\d+/dashboard/login\\?token=[A-Za-z0-9_-]{43}&next=tuning-jobs%2Fwine-test\n");
        Matcher best = Pattern.compile("Best training job: (wine-test-00\\d-[0-9a-f]{8})").matcher(demo.stdout());
        assertThat(best.find()).as(demo.stdout()).isTrue();
        assertThat(demo.stdout()).containsPattern("objective +validation:loss = [0-9.]+ \\(Minimize\\)")
                .containsPattern("tuned +batch_size=\\d+ hidden_units=\\d+ l2=\\S+ learning_rate=\\S+\n");
        Path model = dataDir.resolve("s3/vernier-examples/wine/output").resolve(best.group(1)).resolve("output/model.tar.gz");
        assertThat(model).exists();
        assertThat(demo.stdout()).contains("= " + model)
                .contains("server --data-dir " + dataDir + " --port ")
                .contains("export AWS_SHARED_CREDENTIALS_FILE=" + dataDir.resolve("credentials") + " AWS_PROFILE=vernier")
                .contains("aws sagemaker describe-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name wine-test --endpoint-url http://127.0.0.1:")
                .contains(" logs " + best.group(1) + " --endpoint-url http://127.0.0.1:");
        assertThat(dataDir.resolve("jobs").resolve(best.group(1)).resolve("vernier/training.log")).content().contains("epoch=30 ");
    }

    @Test
    void theDemoWithImageRunsEachTrainingJobAsAContainerOfTheExamplesImage() throws Exception {
        String engine = dev.vernier.server.TestContainerEngine.name();
        Path dataDir = dir.resolve("demo");
        Cli.Result demo = Cli.withoutCredentials(dir).run("demo", "--image", "--max-jobs", "2", "--max-parallel", "2", "--plain",
                "--data-dir", dataDir.toString(), "--example", EXAMPLE.toString(), "--name", "wine-image");
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        Matcher image = Pattern.compile("Each training job runs the image (localhost/vernier-wine:\\d+) as a container").matcher(demo.stdout());
        assertThat(image.find()).as(demo.stdout()).isTrue();
        assertThat(demo.stdout()).contains("Tuning job wine-image Completed in ").contains("2/2 training jobs done");
        assertThat(dataDir.resolve("tuning-job.json")).content().contains("\"TrainingImage\" : \"" + image.group(1) + "\"");
        assertThat(dev.vernier.server.TestContainerEngine.exitOf(engine, "image", "inspect", image.group(1))).isZero();
        Matcher best = Pattern.compile("Best training job: (wine-image-00\\d-[0-9a-f]{8})").matcher(demo.stdout());
        assertThat(best.find()).as(demo.stdout()).isTrue();
        assertThat(dataDir.resolve("jobs").resolve(best.group(1)).resolve("vernier/training.log")).content().contains("epoch=30 ");
    }

    @Test
    void theDemoRunsOnAServerItIsGivenWithFileChannels() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"))) {
            Cli.Result demo = Cli.withTestKey(dir).run("demo", "--max-jobs", "2", "--max-parallel", "2", "--plain", "--strategy", "Random",
                    "--example", EXAMPLE.toString(), "--name", "wine-remote", "--endpoint-url", server.endpoint().toString());
            assertThat(demo.exitCode()).as(demo.toString()).isZero();
            assertThat(demo.stdout()).contains("Tuning job wine-remote Completed").contains("Best training job: wine-remote-00")
                    .doesNotContain("has stopped");
            var job = server.client().describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("wine-remote"));
            assertThat(job.trainingJobDefinition().inputDataConfig().get(0).dataSource().s3DataSource().s3Uri())
                    .isEqualTo("file://" + EXAMPLE.resolve("data") + "/");
        }
    }

    @Test
    void ctrlCInTheDemoSaysHowToGoOnWithTheTuningJobOrStopIt() throws Exception {
        Path example = slowExample(dir.resolve("slow"));
        Path dataDir = dir.resolve("demo");
        Cli.Running demo = Cli.withoutCredentials(dir).start("demo", "--plain", "--data-dir", dataDir.toString(),
                "--example", example.toString(), "--name", "interrupted-demo");
        for (int i = 0; i < 600 && !demo.stdout().contains("interrupted-demo InProgress"); i++) Thread.sleep(100);
        Matcher port = Pattern.compile("a server of its own on http://127.0.0.1:(\\d+),").matcher(demo.stdout());
        assertThat(port.find()).as(demo.stdout()).isTrue();
        Cli.Result interrupted = demo.interrupt();
        assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(Cli.Running.interruptedExitCode());
        String endpoint = "http://127.0.0.1:" + port.group(1);
        assertThat(interrupted.stderr()).isEqualTo("\nStopped the demo, and its server with it. The tuning job interrupted-demo is not "
                + "finished: it goes on when a server starts again on the demo's data directory:\n"
                + "  vernier server --data-dir " + dataDir + " --port " + port.group(1) + "\n"
                + "To stop it then, in another shell:\n"
                + "  VERNIER_DATA_DIR=" + dataDir + " vernier stop-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name "
                + "interrupted-demo --endpoint-url " + endpoint + "\n");

        // and those commands do what they say
        Cli.Running server = Cli.withoutCredentials(dir).start("server", "--data-dir", dataDir.toString(), "--port", port.group(1));
        try {
            Cli cli = Cli.withoutCredentials(dir).env("VERNIER_DATA_DIR", dataDir.toString());
            Cli.Result stop = null;
            for (int i = 0; i < 300 && (stop == null || stop.exitCode() == 255); i++) {
                if (stop != null) Thread.sleep(100);
                stop = cli.run("stop-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "interrupted-demo", "--endpoint-url", endpoint);
            }
            assertThat(stop.exitCode()).as(stop + "\n--- server\n" + server.stdout()).isZero();
            Cli.Result waited = cli.run("wait", "interrupted-demo", "--endpoint-url", endpoint);
            assertThat(waited.exitCode()).as(waited.toString()).isEqualTo(2);
        } finally {
            server.interrupt();
        }
    }

    /** An example whose one training job takes 120 s: long enough to outlast the interruption and a server restart on a loaded machine. */
    private static Path slowExample(Path example) throws Exception {
        Files.createDirectories(example.resolve("data"));
        Files.writeString(example.resolve("data").resolve("rows.csv"), "1,2\n");
        Path train = example.resolve("train");
        Files.writeString(train, "#!/bin/sh\nsleep 120\necho loss=1\n");
        train.toFile().setExecutable(true, false);   // as root, programs run as nobody
        Files.writeString(example.resolve("tuning-job.json"), """
                {
                  "HyperParameterTuningJobConfig": {
                    "Strategy": "Random",
                    "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
                    "ResourceLimits": {"MaxNumberOfTrainingJobs": 1, "MaxParallelTrainingJobs": 1},
                    "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1"}]}
                  },
                  "TrainingJobDefinition": {
                    "AlgorithmSpecification": {
                      "TrainingImage": "file://%s",
                      "TrainingInputMode": "File",
                      "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.]+)"}]
                    },
                    "RoleArn": "arn:aws:iam::123456789012:role/vernier",
                    "OutputDataConfig": {"S3OutputPath": "s3://vernier-examples/slow/output"},
                    "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
                    "StoppingCondition": {"MaxRuntimeInSeconds": 300}
                  }
                }
                """.formatted(train));
        return example;
    }

    @Test
    void theDemoSaysWhereItLookedWhenTheExampleIsMissing() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Cli.Result demo = Cli.withoutCredentials(dir).run("demo", "--example", dir.resolve("empty").toString());
        assertThat(demo.exitCode()).isEqualTo(253);
        assertThat(demo.stderr()).contains("has no tuning-job.json and train program");
    }
}
