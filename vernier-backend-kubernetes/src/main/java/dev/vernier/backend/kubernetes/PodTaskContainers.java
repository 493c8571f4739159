package dev.vernier.backend.kubernetes;

import dev.vernier.backend.kubernetes.pod.PodTasks;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.jobdir.TrainingHost;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pod's init containers that run Vernier's image: {@code stage} (only with channels) copies the
 * channels into {@code /opt/ml/input/data} and exits before the training container starts;
 * {@code upload}, a sidecar ({@code restartPolicy: Always}, started and probed before the training
 * container), uploads {@code model/} and {@code output/data/} when the kubelet stops it after the
 * training container has ended. Both run with a small fixed share of the node, outside the
 * instance type's.
 */
final class PodTaskContainers {
    /** How long the sidecar may take to upload after the program has ended: added to the pod's grace period. */
    static final long UPLOAD_SECONDS = 60;
    static final Map<String, Quantity> RESOURCES = Map.of("cpu", new Quantity("250m"), "memory", new Quantity("384Mi"));

    private PodTaskContainers() {}

    static List<Container> of(TrainingJobSpec spec, PodTaskSettings tasks, TrainingHost host) {
        List<Container> containers = new ArrayList<>();
        if (!spec.inputChannels().isEmpty()) {
            List<String> args = new ArrayList<>(List.of("stage-input"));
            if (host.distributed()) args.addAll(List.of("--host", host.name() + "/" + host.hosts().size()));
            for (InputChannel c : spec.inputChannels())
                args.add((host.distributed() && c.s3DataDistributionType().equals("ShardedByS3Key") ? PodTasks.SHARDED : "")
                        + c.name() + "=" + c.s3Uri());
            containers.add(task(JobSpecs.STAGE, tasks).withArgs(args).build());
        }
        containers.add(task(JobSpecs.UPLOAD, tasks).withArgs("upload-output", JobSpecs.uploadPrefix(spec.outputPrefix(), host))
                .withRestartPolicy("Always")
                .withNewStartupProbe().withNewExec().withCommand("test", "-e", PodTasks.READY.toString()).endExec()
                    .withPeriodSeconds(1).withFailureThreshold(300).endStartupProbe()
                .build());
        return containers;
    }

    private static ContainerBuilder task(String name, PodTaskSettings tasks) {
        List<EnvVar> env = new ArrayList<>();
        if (!tasks.s3Endpoint().isBlank()) env.add(new EnvVar("VERNIER_S3_ENDPOINT", tasks.s3Endpoint(), null));
        env.add(new EnvVar("AWS_REGION", tasks.region(), null));
        List<EnvFromSource> secrets = tasks.s3Secret().isBlank() ? List.of()
                : List.of(new EnvFromSourceBuilder().withNewSecretRef().withName(tasks.s3Secret()).endSecretRef().build());
        return new ContainerBuilder().withName(name).withImage(tasks.image()).withCommand(JobSpecs.POD_TASKS)
                .withEnv(env).withEnvFrom(secrets)
                .withNewResources().withRequests(RESOURCES).withLimits(RESOURCES).endResources()
                .withTerminationMessagePath(PodTasks.TERMINATION_MESSAGE.toString())
                .withTerminationMessagePolicy("File")
                .addNewVolumeMount().withName("ml").withMountPath("/opt/ml").endVolumeMount();
    }
}
