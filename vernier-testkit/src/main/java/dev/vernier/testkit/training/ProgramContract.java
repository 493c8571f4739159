package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.TrainingBackend;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a training program sees, whatever runs it: {@code program train}, its hyperparameters in
 * {@code hyperparameters.json} and {@code SM_HP_*}, SageMaker's {@code SM_*} environment and the
 * definition's Environment, and its channels staged from the object store. Paths are checked only
 * as the program reports them (it may see its directory anywhere).
 */
public interface ProgramContract extends BackendUnderTest {
    @Test
    default void the_program_runs_as_program_train_with_its_hyperparameters_and_sagemakers_environment() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("prints_contract.sh").hyperParameters(Map.of("alpha", "1e-3", "layers", "4"))
                .environment(Map.of("MY_VARIABLE", "from the definition"));
        String train = "s3://contract-data/" + job.name() + "/train/";
        put(train + "a.csv", "1,2");
        job.channels(InputChannel.of("train", train));

        ObservedRun run = toEnd(launch(backend, job.build()), backend);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        List<String> lines = log(backend, run).lines().toList();
        assertThat(lines).contains(
                "args: train",
                "hyperparameters.json: {\"alpha\":\"1e-3\",\"layers\":\"4\"}",
                "SM_HPS: {\"alpha\":\"1e-3\",\"layers\":\"4\"}",
                "SM_HP_ALPHA: 1e-3",
                "SM_HP_LAYERS: 4",
                "SM_CHANNELS: [\"train\"]",
                "SM_CHANNEL_TRAIN holds: a.csv",
                "SM_CURRENT_HOST: algo-1",
                "SM_HOSTS: [\"algo-1\"]",
                "TRAINING_JOB_NAME: " + job.name(),
                "TRAINING_JOB_ARN: " + job.arn(),
                "MY_VARIABLE: from the definition",
                "SM_MODEL_DIR: a directory",
                "SM_INPUT_DIR: a directory",
                "SM_INPUT_CONFIG_DIR: a directory",
                "SM_OUTPUT_DIR: a directory",
                "SM_OUTPUT_DATA_DIR: a directory",
                "SM_CHANNEL_TRAIN: a directory",
                "SM_NUM_CPUS: a number",
                "SM_NUM_GPUS: a number");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("resourceconfig.json: ")
                .contains("\"current_host\":\"algo-1\"", "\"hosts\":[\"algo-1\"]", "\"current_instance_type\":\"ml.m5.large\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("SM_TRAINING_ENV: ")
                .contains("\"job_name\":\"" + job.name() + "\"", "\"hyperparameters\":{\"alpha\":\"1e-3\",\"layers\":\"4\"}"));
    }

    @Test
    default void hyperparameter_and_channel_names_that_are_not_shell_identifiers_reach_the_program() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("prints_environment.sh").hyperParameters(Map.of("learning-rate", "0.1", "alpha", "2"));
        String train = "s3://contract-data/" + job.name() + "/train/";
        put(train + "a.csv", "1,2");
        job.channels(InputChannel.of("train-data", train));

        ObservedRun run = toEnd(launch(backend, job.build()), backend);

        assertThat(log(backend, run).lines().map(line -> line.replaceAll("=/.*", "=/...")))
                .containsExactly("SM_CHANNEL_TRAIN-DATA=/...", "SM_HP_ALPHA=2", "SM_HP_LEARNING-RATE=0.1");
    }

    @Test
    default void input_channels_are_staged_from_the_object_store_before_the_program_starts() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("prints_channel_files.sh");
        String data = "s3://contract-data/" + job.name() + "/";
        put(data + "train/a.csv", "1,2");
        put(data + "train/part/b.csv", "3,4");
        put(data + "test/c.csv", "5,6");
        job.channels(new InputChannel("train", data + "train/", null, null, "text/csv", null, null, null),
                InputChannel.of("test", data + "test/"));

        ObservedRun run = toEnd(launch(backend, job.build()), backend);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        List<String> lines = log(backend, run).lines().toList();
        assertThat(lines).containsSubsequence("test/c.csv: 5,6", "train/a.csv: 1,2", "train/part/b.csv: 3,4");
        assertThat(lines.getFirst()).contains(
                "\"train\":{\"ContentType\":\"text/csv\",\"TrainingInputMode\":\"File\"",
                "\"test\":{\"TrainingInputMode\":\"File\"");
    }
}
