package dev.vernier.backend.kubernetes;

import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import java.util.ArrayList;
import java.util.List;

/** What the pod's own tasks ({@link PodTaskContainers}) cannot do for a job, one message per problem. */
final class PodTaskChecks {
    private PodTaskChecks() {}

    static List<String> problems(TrainingJobSpec spec, PodTaskSettings tasks) {
        List<String> problems = new ArrayList<>();
        if (!tasks.enabled()) {
            if (!spec.inputChannels().isEmpty())
                problems.add("InputDataConfig channels need the kubernetes backend's setting kubernetes-image "
                        + "(Vernier's image, which stages them into the pod)");
            return problems;
        }
        for (InputChannel c : spec.inputChannels()) {
            String at = "channel '" + c.name() + "': ";
            if (!c.s3Uri().startsWith("s3://"))
                problems.add(at + "S3Uri '" + c.s3Uri() + "' is not an s3:// location, which pods read through S3");
            if (c.modeIn(spec).equals("Pipe"))
                problems.add(at + "Pipe input mode is not supported yet on the kubernetes backend: use File or FastFile");
            if (List.of("ManifestFile", "AugmentedManifestFile").contains(c.s3DataType()))
                problems.add(at + "S3DataType " + c.s3DataType() + " is not supported yet on the kubernetes backend: use S3Prefix");
        }
        if (!spec.s3OutputPath().startsWith("s3://"))
            problems.add("S3OutputPath '" + spec.s3OutputPath() + "' is not an s3:// location, which pods upload to");
        return problems;
    }
}
