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
        assertThat(demo.stdout()).contains("Tuning job wine-test Completed in ").contains("3/3 training jobs done");
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
    void theDemoSaysWhereItLookedWhenTheExampleIsMissing() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Cli.Result demo = Cli.withoutCredentials(dir).run("demo", "--example", dir.resolve("empty").toString());
        assertThat(demo.exitCode()).isEqualTo(253);
        assertThat(demo.stderr()).contains("has no tuning-job.json and train program");
    }
}
