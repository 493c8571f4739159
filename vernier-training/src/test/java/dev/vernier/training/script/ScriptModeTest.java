package dev.vernier.training.script;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import dev.vernier.training.jobdir.TrainingEnvironment;
import dev.vernier.training.jobdir.TrainingHost;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptModeTest {
    /** Hyperparameters as the SageMaker Python SDK's PyTorch estimator and HyperparameterTuner send them, plus Vernier's objective. */
    static final Map<String, String> SDK = Map.of(
            "sagemaker_program", "\"train.py\"",
            "sagemaker_submit_directory", "\"s3://bucket/pytorch-training/source/sourcedir.tar.gz\"",
            "sagemaker_container_log_level", "20",
            "sagemaker_job_name", "\"pytorch-training-2026-12-04-18-00-00-000\"",
            "sagemaker_region", "\"us-east-1\"",
            "sagemaker_estimator_class_name", "\"PyTorch\"",
            "sagemaker_estimator_module", "\"sagemaker.pytorch.estimator\"",
            "_tuning_objective_metric", "validation:loss",
            "epochs", "10",
            "lr", "0.0001");

    private static TrainingJobSpec spec(Map<String, String> hps) {
        Map<String, String> all = new LinkedHashMap<>(hps);
        all.put("optimizer", "adam");
        return new TrainingJobSpec("job-1", "arn:aws:sagemaker:us-east-1:0:training-job/job-1", "t",
                "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-cpu-py310", "File", all,
                Map.of("MINE", "x"), List.of(), List.of(), "s3://bucket/out", new TrainingJobSpec.Resources("ml.m5.large", 1, 10),
                60, false);
    }

    @Test
    void only_jobs_with_sagemaker_program_are_in_script_mode() {
        assertThat(ScriptMode.of(spec(Map.of("epochs", "10")))).isEmpty();
        assertThat(ScriptMode.of(spec(SDK))).hasValueSatisfying(s -> assertThat(s.program()).isEqualTo("train.py"));
    }

    @Test
    void the_users_hyperparameters_become_sorted_arguments_as_the_toolkit_writes_them() {
        ScriptMode script = ScriptMode.of(spec(SDK)).orElseThrow();
        assertThat(script.userArgs()).containsExactly("--epochs", "10", "--lr", "0.0001", "--optimizer", "adam");
        assertThat(script.command(Path.of("/opt/ml/code"), "python3")).containsExactly("/bin/sh", "-c",
                "cd \"$0\" && exec \"$@\"", "/opt/ml/code", "python3", "train.py", "--epochs", "10", "--lr", "0.0001",
                "--optimizer", "adam");
    }

    @Test
    void values_are_decoded_where_they_parse_as_json_and_kept_as_text_elsewhere() {
        assertThat(ScriptMode.decode("\"train.py\"").asText()).isEqualTo("train.py");
        assertThat(ScriptMode.decode("10").isInt()).isTrue();
        assertThat(ScriptMode.decode("10 epochs").asText()).isEqualTo("10 epochs");
        assertThat(ScriptMode.decode("adam").asText()).isEqualTo("adam");
        assertThat(ScriptMode.decode("").asText()).isEmpty();
        assertThat(PythonText.str(ScriptMode.decode("true"))).isEqualTo("True");
        assertThat(PythonText.str(ScriptMode.decode("[1, \"a\"]"))).isEqualTo("[1, 'a']");
    }

    @Test
    void floats_print_as_python_prints_them() {
        assertThat(PythonText.pythonFloat(0.01)).isEqualTo("0.01");
        assertThat(PythonText.pythonFloat(1e-5)).isEqualTo("1e-05");
        assertThat(PythonText.pythonFloat(0.0001)).isEqualTo("0.0001");
        assertThat(PythonText.pythonFloat(10.0)).isEqualTo("10.0");
        assertThat(PythonText.pythonFloat(1e16)).isEqualTo("1e+16");
        assertThat(PythonText.pythonFloat(1.5e-7)).isEqualTo("1.5e-07");
        assertThat(PythonText.pythonFloat(123456.789)).isEqualTo("123456.789");
    }

    @Test
    void the_toolkits_environment_describes_the_entry_point_and_the_users_hyperparameters_only() throws Exception {
        TrainingJobSpec spec = spec(SDK);
        ScriptMode script = ScriptMode.of(spec).orElseThrow();
        Map<String, String> env = script.environment(TrainingEnvironment.of(spec, new JobDirectory(Path.of("/opt/ml")),
                TrainingHost.single(2, 0)), spec);

        assertThat(env).containsEntry("SM_HPS", "{\"epochs\":10,\"lr\":0.0001,\"optimizer\":\"adam\"}")
                .containsEntry("SM_HP_EPOCHS", "10").containsEntry("SM_HP_LR", "0.0001").containsEntry("SM_HP_OPTIMIZER", "adam")
                .containsEntry("SM_USER_ARGS", "[\"--epochs\",\"10\",\"--lr\",\"0.0001\",\"--optimizer\",\"adam\"]")
                .containsEntry("SM_MODULE_NAME", "train").containsEntry("SM_USER_ENTRY_POINT", "train.py")
                .containsEntry("SM_MODULE_DIR", "s3://bucket/pytorch-training/source/sourcedir.tar.gz")
                .containsEntry("SM_FRAMEWORK_PARAMS", "{\"sagemaker_estimator_class_name\":\"PyTorch\","
                        + "\"sagemaker_estimator_module\":\"sagemaker.pytorch.estimator\"}")
                .containsEntry("SM_LOG_LEVEL", "20").containsEntry("SM_CURRENT_INSTANCE_TYPE", "ml.m5.large")
                .containsEntry("SM_MODEL_DIR", "/opt/ml/model").containsEntry("MINE", "x")
                .doesNotContainKeys("SM_HP_SAGEMAKER_PROGRAM", "SM_HP__TUNING_OBJECTIVE_METRIC");
        JsonNode training = StateFiles.JSON.readTree(env.get("SM_TRAINING_ENV"));
        assertThat(training.get("hyperparameters").toString()).isEqualTo("{\"epochs\":10,\"lr\":1.0E-4,\"optimizer\":\"adam\"}");
        assertThat(training.get("module_name").asText()).isEqualTo("train");
        assertThat(training.get("user_entry_point").asText()).isEqualTo("train.py");
        assertThat(training.get("model_dir").asText()).isEqualTo("/opt/ml/model");
    }
}
