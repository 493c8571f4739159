package dev.vernier.training.jobdir;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import java.io.IOException;
import java.util.TreeMap;

/** The files of input/config, as SageMaker writes them: hyperparameters.json, resourceconfig.json, inputdataconfig.json. */
public final class ConfigFiles {
    private ConfigFiles() {}

    static void write(JobDirectory dir, TrainingJobSpec spec, TrainingHost host) throws IOException {
        // Plain writes: a launch that crashes before its process starts is redone from scratch.
        var json = StateFiles.JSON;
        StateFiles.writePrivate(dir.inputConfig().resolve("hyperparameters.json"), json.writeValueAsString(hyperParameters(spec)));
        StateFiles.writePrivate(dir.inputConfig().resolve("resourceconfig.json"),
                json.writeValueAsString(resourceConfig(spec, host)));
        StateFiles.writePrivate(dir.inputConfig().resolve("inputdataconfig.json"), json.writeValueAsString(inputDataConfig(spec)));
    }

    /** Every hyperparameter as a string, keys sorted. */
    public static ObjectNode hyperParameters(TrainingJobSpec spec) {
        ObjectNode hps = StateFiles.JSON.createObjectNode();
        new TreeMap<>(spec.hyperParameters()).forEach(hps::put);
        return hps;
    }

    /**
     * The hosts of the job, as one homogeneous instance group, seen from {@code host}: the same file on
     * every host but for {@code current_host}.
     */
    public static ObjectNode resourceConfig(TrainingJobSpec spec, TrainingHost host) {
        ObjectNode rc = StateFiles.JSON.createObjectNode();
        rc.put("current_host", host.name());
        rc.put("current_instance_type", spec.resources().instanceType());
        rc.put("current_group_name", "homogeneousCluster");
        host.hosts().forEach(rc.putArray("hosts")::add);
        ObjectNode group = rc.putArray("instance_groups").addObject();
        group.put("instance_group_name", "homogeneousCluster");
        group.put("instance_type", spec.resources().instanceType());
        host.hosts().forEach(group.putArray("hosts")::add);
        rc.put("network_interface_name", host.networkInterfaceName());
        return rc;
    }

    /** Per channel: ContentType (when given), TrainingInputMode, S3DistributionType, RecordWrapperType. */
    public static ObjectNode inputDataConfig(TrainingJobSpec spec) {
        ObjectNode config = StateFiles.JSON.createObjectNode();
        for (InputChannel c : spec.inputChannels()) {
            ObjectNode ch = config.putObject(c.name());
            if (c.contentType() != null) ch.put("ContentType", c.contentType());
            ch.put("TrainingInputMode", c.inputMode() != null ? c.inputMode() : spec.trainingInputMode());
            ch.put("S3DistributionType", c.s3DataDistributionType());
            ch.put("RecordWrapperType", c.recordWrapperType());
        }
        return config;
    }
}
