package dev.vernier.training.jobdir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.training.InputChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingEnvironmentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_variables_of_sagemakers_training_toolkit_name_the_directory_where_the_program_sees_it() throws Exception {
        var spec = Specs.spec(Map.of("alpha", "1e-3", "learning-rate", "0.1"), Map.of(),
                InputChannel.of("train", "s3://data/train/"), InputChannel.of("eval", "s3://data/eval/"));

        var env = TrainingEnvironment.of(spec, new JobDirectory(JobDirectory.CONTAINER_ROOT), TrainingHost.single(4, 1));

        assertThat(env).containsEntry("SM_HP_ALPHA", "1e-3").containsEntry("SM_HP_LEARNING-RATE", "0.1")
                .containsEntry("SM_CHANNELS", "[\"eval\",\"train\"]")
                .containsEntry("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train")
                .containsEntry("SM_CHANNEL_EVAL", "/opt/ml/input/data/eval")
                .containsEntry("SM_MODEL_DIR", "/opt/ml/model")
                .containsEntry("SM_INPUT_DIR", "/opt/ml/input")
                .containsEntry("SM_INPUT_CONFIG_DIR", "/opt/ml/input/config")
                .containsEntry("SM_OUTPUT_DIR", "/opt/ml/output")
                .containsEntry("SM_OUTPUT_DATA_DIR", "/opt/ml/output/data")
                .containsEntry("SM_HOSTS", "[\"algo-1\"]").containsEntry("SM_CURRENT_HOST", "algo-1")
                .containsEntry("SM_NUM_CPUS", "4").containsEntry("SM_NUM_GPUS", "1")
                .containsEntry("TRAINING_JOB_NAME", "job-1")
                .containsEntry("TRAINING_JOB_ARN", "arn:aws:sagemaker:us-east-1:123456789012:training-job/job-1");
        assertThat(env.get("SM_HPS")).isEqualTo("{\"alpha\":\"1e-3\",\"learning-rate\":\"0.1\"}");
        var training = JSON.readTree(env.get("SM_TRAINING_ENV"));
        assertThat(training.get("job_name").asText()).isEqualTo("job-1");
        assertThat(training.get("channel_input_dirs").get("train").asText()).isEqualTo("/opt/ml/input/data/train");
        assertThat(training.get("model_dir").asText()).isEqualTo("/opt/ml/model");
        assertThat(training.get("num_cpus").asInt()).isEqualTo(4);
        assertThat(training.get("resource_config").get("current_host").asText()).isEqualTo("algo-1");
        assertThat(training.get("input_data_config").get("train").get("TrainingInputMode").asText()).isEqualTo("File");
    }

    @Test
    void the_definitions_environment_comes_last_and_wins() {
        var spec = Specs.spec(Map.of(), Map.of("MY_VARIABLE", "mine", "SM_NUM_GPUS", "8"));

        var env = TrainingEnvironment.of(spec, new JobDirectory(Path.of("/data/jobs/job-1")), TrainingHost.single(2, 0));

        assertThat(env).containsEntry("MY_VARIABLE", "mine").containsEntry("SM_NUM_GPUS", "8")
                .containsEntry("SM_MODEL_DIR", "/data/jobs/job-1/model");
        assertThat(List.copyOf(env.keySet())).last().isIn("MY_VARIABLE", "SM_NUM_GPUS");
    }
}
