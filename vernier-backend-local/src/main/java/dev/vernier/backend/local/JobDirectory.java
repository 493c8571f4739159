package dev.vernier.backend.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A job's directory laid out like a SageMaker container's /opt/ml, and the environment of its program. */
final class JobDirectory {
    static final String HOST = "algo-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path root;

    JobDirectory(Path root) {
        this.root = root;
    }

    Path inputConfig() { return root.resolve("input/config"); }
    Path channel(String name) { return root.resolve("input/data").resolve(name); }
    Path model() { return root.resolve("model"); }
    Path output() { return root.resolve("output"); }
    Path outputData() { return root.resolve("output/data"); }
    Path failureFile() { return root.resolve("output/failure"); }
    Path internal(String name) { return root.resolve(name); }

    /** Creates the layout and writes hyperparameters.json, resourceconfig.json and inputdataconfig.json. */
    void create(TrainingJobSpec spec) throws IOException {
        // Top-down, each parent first: Files.createDirectories on a path whose parents are missing
        // finds them by catching an exception per missing level.
        Files.createDirectories(root);
        for (Path p : new Path[] {root.resolve("input"), inputConfig(), root.resolve("input/data"), model(), output(),
                outputData(), root.resolve("checkpoints"), root.resolve(Wrapper.DIR)})
            Files.createDirectory(p);
        for (InputChannel c : spec.inputChannels()) Files.createDirectories(channel(c.name()));
        ObjectNode hps = JSON.createObjectNode();
        new TreeMap<>(spec.hyperParameters()).forEach(hps::put);
        // Plain writes: a launch that crashes before its process starts is redone from scratch.
        Files.writeString(inputConfig().resolve("hyperparameters.json"), JSON.writeValueAsString(hps));
        Files.writeString(inputConfig().resolve("resourceconfig.json"), JSON.writeValueAsString(resourceConfig(spec)));
        Files.writeString(inputConfig().resolve("inputdataconfig.json"), JSON.writeValueAsString(inputDataConfig(spec)));
    }

    private static ObjectNode resourceConfig(TrainingJobSpec spec) {
        ObjectNode rc = JSON.createObjectNode();
        rc.put("current_host", HOST);
        rc.put("current_instance_type", spec.resources().instanceType());
        rc.put("current_group_name", "homogeneousCluster");
        rc.putArray("hosts").add(HOST);
        ObjectNode group = rc.putArray("instance_groups").addObject();
        group.put("instance_group_name", "homogeneousCluster");
        group.put("instance_type", spec.resources().instanceType());
        group.putArray("hosts").add(HOST);
        rc.put("network_interface_name", "eth0");
        return rc;
    }

    private static ObjectNode inputDataConfig(TrainingJobSpec spec) {
        ObjectNode config = JSON.createObjectNode();
        for (InputChannel c : spec.inputChannels()) {
            ObjectNode ch = config.putObject(c.name());
            if (c.contentType() != null) ch.put("ContentType", c.contentType());
            ch.put("TrainingInputMode", c.inputMode() != null ? c.inputMode() : spec.trainingInputMode());
            ch.put("S3DistributionType", c.s3DataDistributionType());
            ch.put("RecordWrapperType", c.recordWrapperType());
        }
        return config;
    }

    /** The SageMaker training toolkit's variables, then the definition's Environment (which wins). */
    Map<String, String> environment(TrainingJobSpec spec) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        String hps = JSON.writeValueAsString(new TreeMap<>(spec.hyperParameters()));
        env.put("SM_HPS", hps);
        spec.hyperParameters().forEach((k, v) -> env.put("SM_HP_" + k.toUpperCase(Locale.ROOT), v));
        ArrayNode channels = JSON.createArrayNode();
        ObjectNode channelDirs = JSON.createObjectNode();
        spec.inputChannels().stream().map(InputChannel::name).sorted().forEach(name -> {
            channels.add(name);
            channelDirs.put(name, channel(name).toString());
            env.put("SM_CHANNEL_" + name.toUpperCase(Locale.ROOT), channel(name).toString());
        });
        env.put("SM_CHANNELS", channels.toString());
        env.put("SM_MODEL_DIR", model().toString());
        env.put("SM_INPUT_DIR", root.resolve("input").toString());
        env.put("SM_INPUT_CONFIG_DIR", inputConfig().toString());
        env.put("SM_OUTPUT_DIR", output().toString());
        env.put("SM_OUTPUT_DATA_DIR", outputData().toString());
        env.put("SM_HOSTS", "[\"" + HOST + "\"]");
        env.put("SM_CURRENT_HOST", HOST);
        env.put("SM_NUM_CPUS", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("SM_NUM_GPUS", "0");

        ObjectNode training = JSON.createObjectNode();
        training.put("job_name", spec.trainingJobName());
        training.set("hyperparameters", JSON.readTree(hps));
        training.set("channel_input_dirs", channelDirs);
        training.put("current_host", HOST);
        training.putArray("hosts").add(HOST);
        training.put("model_dir", model().toString());
        training.put("input_dir", root.resolve("input").toString());
        training.put("input_config_dir", inputConfig().toString());
        training.put("output_dir", output().toString());
        training.put("output_data_dir", outputData().toString());
        training.put("num_cpus", Runtime.getRuntime().availableProcessors());
        training.put("num_gpus", 0);
        training.set("resource_config", resourceConfig(spec));
        training.set("input_data_config", inputDataConfig(spec));
        env.put("SM_TRAINING_ENV", training.toString());

        env.put("TRAINING_JOB_NAME", spec.trainingJobName());
        env.put("TRAINING_JOB_ARN", spec.trainingJobArn());
        env.putAll(spec.environment());
        return env;
    }

    static void writeJson(Path file, Object value) throws IOException {
        writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    }

    /** Write beside, then rename, so a crash never leaves half a file for the next server to read. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static ObjectMapper json() {
        return JSON;
    }
}
