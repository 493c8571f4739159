package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.training.artifacts.TarGz;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * A tuning job exactly as the SageMaker Python SDK's HyperparameterTuner sends it for a PyTorch
 * estimator in script mode (JSON-encoded static hyperparameters, sagemaker_program,
 * sagemaker_submit_directory, _tuning_objective_metric), run unchanged by the local backend with python3.
 * {@link ScriptModeInContainerApiTest} runs the same request in a container.
 */
class ScriptModeApiTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();

    /** The user's script; it imports a module of its source directory and says where and how it ran. */
    static final String TRAIN_PY = """
            import argparse, os, sys
            import helper
            parser = argparse.ArgumentParser()
            parser.add_argument("--epochs", type=int)
            parser.add_argument("--lr", type=float)
            parser.add_argument("--optimizer", type=str)
            parser.add_argument("--model-dir", type=str, default=os.environ["SM_MODEL_DIR"])
            parser.add_argument("--train", type=str, default=os.environ["SM_CHANNEL_TRAINING"])
            print("argv=%s" % " ".join(sys.argv[1:]))
            print("cwd=%s pid=%d" % (os.getcwd(), os.getpid()))
            print("code=%s" % ",".join(sorted(f for f in os.listdir(".") if f.endswith(".py"))))
            args = parser.parse_args()
            rows = open(os.path.join(args.train, "data.csv")).read().split()
            for epoch in range(1, args.epochs + 1):
                loss = helper.loss(args.lr, args.optimizer, epoch)
                print("epoch %d: validation loss=%.6f (%d rows)" % (epoch, loss, len(rows)))
            with open(os.path.join(args.model_dir, "model.txt"), "w") as f:
                f.write("lr=%s optimizer=%s" % (args.lr, args.optimizer))
            """;
    static final String HELPER_PY = """
            def loss(lr, optimizer, epoch):
                return (lr - 0.05) ** 2 + (0.01 if optimizer == "sgd" else 0) + 1.0 / epoch
            """;
    static final String TUNING_JOB = "pytorch-training-261204-1800";

    @Test
    void a_hyperparameter_tuner_request_for_a_framework_estimator_runs_unchanged() throws Exception {
        var best = runTheSdkRequest(SHARED);
        assertThat(log(SHARED, best)).contains("code=helper.py,train.py");
    }

    /**
     * Uploads the script as the SDK does (sourcedir.tar.gz in S3) with its training data, sends
     * sdk/pytorch-tuner.json as it is, and checks that it completes with a best training job whose
     * model and log are there; returns that job.
     */
    static DescribeTrainingJobResponse runTheSdkRequest(SharedServer shared) throws Exception {
        Path s3 = shared.dataDir().resolve("s3/bucket");
        Path src = Files.createDirectories(shared.dataDir().resolve("sourcedir"));
        Files.writeString(src.resolve("train.py"), TRAIN_PY);
        Files.writeString(src.resolve("helper.py"), HELPER_PY);
        Path archive = s3.resolve("pytorch-training-2026-12-04-18-00-00-000/source/sourcedir.tar.gz");
        Files.createDirectories(archive.getParent());
        try (OutputStream out = Files.newOutputStream(archive)) {
            TarGz.pack(src, out);
        }
        Files.createDirectories(s3.resolve("data/train"));
        Files.writeString(s3.resolve("data/train/data.csv"), "1,2\n3,4\n");
        String request = new String(ScriptModeApiTest.class.getResourceAsStream("/sdk/pytorch-tuner.json").readAllBytes());

        RawClient.Response created = new RawClient(shared.server().endpoint()).call("CreateHyperParameterTuningJob", request);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        var done = Waits.terminal(shared.client(), TUNING_JOB);

        assertThat(done.hyperParameterTuningJobStatus()).as(String.valueOf(done.failureReason()))
                .isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        assertThat(done.trainingJobStatusCounters().completed()).isEqualTo(3);
        var best = shared.client().describeTrainingJob(r -> r.trainingJobName(done.bestTrainingJob().trainingJobName()));
        assertThat(best.trainingJobStatus()).isEqualTo(TrainingJobStatus.COMPLETED);
        assertThat(best.finalMetricDataList()).singleElement().satisfies(m -> {
            assertThat(m.metricName()).isEqualTo("validation:loss");
            assertThat((double) m.value()).isLessThan(0.35 + 0.011);
        });
        String optimizer = best.hyperParameters().get("optimizer");
        assertThat(List.of("\"sgd\"", "\"adam\"")).contains(optimizer);
        assertThat(log(shared, best)).contains("epoch 3: validation loss=").contains("(2 rows)");
        assertThat(shared.dataDir().resolve("s3/bucket/" + best.trainingJobName() + "/output/model.tar.gz")).isRegularFile();
        return best;
    }

    /** The training job's output, from the log endpoint. */
    static String log(SharedServer shared, DescribeTrainingJobResponse job) throws Exception {
        String body = new RawClient(shared.server().endpoint()).get("/v1/training-jobs/" + job.trainingJobName() + "/log").body();
        return new ObjectMapper().readTree(body).path("Log").asText();
    }
}
