package dev.vernier.training.jobdir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment SageMaker's training toolkit gives a program ({@code SM_*},
 * {@code TRAINING_JOB_NAME}, {@code TRAINING_JOB_ARN}), then the definition's Environment, which
 * wins. Paths are where the program sees its directory: the directory itself for a local
 * process or a Slurm job on a shared file system, {@link JobDirectory#CONTAINER_ROOT} in a container.
 */
public final class TrainingEnvironment {
    private TrainingEnvironment() {}

    public static Map<String, String> of(TrainingJobSpec spec, JobDirectory seenByProgram, TrainingHost host) {
        JobDirectory dir = seenByProgram;
        Map<String, String> env = new LinkedHashMap<>();
        ObjectNode hps = ConfigFiles.hyperParameters(spec);
        env.put("SM_HPS", hps.toString());
        spec.hyperParameters().forEach((k, v) -> env.put("SM_HP_" + k.toUpperCase(Locale.ROOT), v));
        ArrayNode channels = StateFiles.JSON.createArrayNode();
        ObjectNode channelDirs = StateFiles.JSON.createObjectNode();
        spec.inputChannels().stream().map(InputChannel::name).sorted().forEach(name -> {
            channels.add(name);
            channelDirs.put(name, dir.channel(name).toString());
            env.put("SM_CHANNEL_" + name.toUpperCase(Locale.ROOT), dir.channel(name).toString());
        });
        ArrayNode hosts = StateFiles.JSON.createArrayNode();
        host.hosts().forEach(hosts::add);
        env.put("SM_CHANNELS", channels.toString());
        env.put("SM_MODEL_DIR", dir.model().toString());
        env.put("SM_INPUT_DIR", dir.input().toString());
        env.put("SM_INPUT_CONFIG_DIR", dir.inputConfig().toString());
        env.put("SM_OUTPUT_DIR", dir.output().toString());
        env.put("SM_OUTPUT_DATA_DIR", dir.outputData().toString());
        env.put("SM_HOSTS", hosts.toString());
        env.put("SM_CURRENT_HOST", host.name());
        env.put("SM_NUM_CPUS", Integer.toString(host.cpus()));
        env.put("SM_NUM_GPUS", Integer.toString(host.gpus()));

        ObjectNode training = StateFiles.JSON.createObjectNode();
        training.put("job_name", spec.trainingJobName());
        training.set("hyperparameters", hps);
        training.set("channel_input_dirs", channelDirs);
        training.put("current_host", host.name());
        training.set("hosts", hosts);
        training.put("model_dir", dir.model().toString());
        training.put("input_dir", dir.input().toString());
        training.put("input_config_dir", dir.inputConfig().toString());
        training.put("output_dir", dir.output().toString());
        training.put("output_data_dir", dir.outputData().toString());
        training.put("num_cpus", host.cpus());
        training.put("num_gpus", host.gpus());
        training.set("resource_config", ConfigFiles.resourceConfig(spec, host));
        training.set("input_data_config", ConfigFiles.inputDataConfig(spec));
        env.put("SM_TRAINING_ENV", training.toString());

        env.put("TRAINING_JOB_NAME", spec.trainingJobName());
        env.put("TRAINING_JOB_ARN", spec.trainingJobArn());
        env.putAll(spec.environment());
        return env;
    }
}
