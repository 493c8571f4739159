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
        ObjectNode resourceConfig = ConfigFiles.resourceConfig(spec, host);
        env.putAll(hostVariables(resourceConfig, host));

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
        training.put("current_instance_type", instanceType(resourceConfig));
        training.put("current_instance_group", resourceConfig.get("current_group_name").asText());
        training.set("current_instance_group_hosts", hosts);
        training.set("instance_groups", resourceConfig.get("instance_groups"));
        training.set("instance_groups_dict", instanceGroupsDict(resourceConfig));
        training.putArray("distribution_hosts");
        training.putArray("distribution_instance_groups");
        training.put("is_hetero", false);
        training.put("master_hostname", host.masterHostname());
        training.put("is_master", host.name().equals(host.masterHostname()));
        training.put("network_interface_name", host.networkInterfaceName());
        training.set("resource_config", resourceConfig);
        training.set("input_data_config", ConfigFiles.inputDataConfig(spec));
        env.put("SM_TRAINING_ENV", training.toString());

        env.put("TRAINING_JOB_NAME", spec.trainingJobName());
        env.put("TRAINING_JOB_ARN", spec.trainingJobArn());
        env.putAll(spec.environment());
        return env;
    }

    /**
     * What the training toolkit says of the job's hosts ({@code SM_CURRENT_INSTANCE_GROUP_HOSTS},
     * {@code SM_INSTANCE_GROUPS}, ...), from the host's resourceconfig.json, as the toolkit derives them.
     */
    private static Map<String, String> hostVariables(ObjectNode resourceConfig, TrainingHost host) {
        Map<String, String> env = new LinkedHashMap<>();
        ArrayNode hosts = StateFiles.JSON.createArrayNode();
        host.hosts().forEach(hosts::add);
        env.put("SM_NETWORK_INTERFACE_NAME", host.networkInterfaceName());
        env.put("SM_CURRENT_INSTANCE_TYPE", instanceType(resourceConfig));
        env.put("SM_CURRENT_INSTANCE_GROUP", resourceConfig.get("current_group_name").asText());
        env.put("SM_CURRENT_INSTANCE_GROUP_HOSTS", hosts.toString());
        env.put("SM_INSTANCE_GROUPS", "[\"" + resourceConfig.get("current_group_name").asText() + "\"]");
        env.put("SM_INSTANCE_GROUPS_DICT", instanceGroupsDict(resourceConfig).toString());
        env.put("SM_DISTRIBUTION_INSTANCE_GROUPS", "[]");
        env.put("SM_IS_HETERO", "false");
        env.put("SM_RESOURCE_CONFIG", resourceConfig.toString());
        return env;
    }

    /** As ScriptMode says it: {@code local} when the definition names no instance type. */
    private static String instanceType(ObjectNode resourceConfig) {
        var type = resourceConfig.get("current_instance_type");
        return type == null || type.isNull() ? "local" : type.asText();
    }

    /** {@code instance_groups} keyed by group name, as the toolkit's {@code instance_groups_dict}. */
    private static ObjectNode instanceGroupsDict(ObjectNode resourceConfig) {
        ObjectNode dict = StateFiles.JSON.createObjectNode();
        for (var group : resourceConfig.get("instance_groups")) dict.set(group.get("instance_group_name").asText(), group);
        return dict;
    }
}
