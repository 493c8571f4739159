package dev.vernier.backend.slurm;

import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.testkit.training.JobSpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The training-backend contract on the Slurm cluster with every job a container image, run through the nodes'
 * podman (slurm-container-engine); the images are the container backend's test images.
 */
class SlurmContainerContractTest extends SlurmTrainingBackendContractTest {
    @Override
    protected TrainingBackend backend(TrainingBackendFactory.Context context) {
        Map<String, String> settings = new LinkedHashMap<>(context.settings());
        settings.put(SlurmTrainingBackendFactory.CONTAINER_ENGINE.name(), "podman");
        return super.backend(new TrainingBackendFactory.Context(settings, context.dataDir(), context.objectStore(),
                context.clock(), context.stopGracePeriod(), context.logCapBytes()));
    }

    @Override
    protected String image(String program) {
        return SlurmContainerTest.Images.of(program);
    }

    @Override
    public String unrunnableImage() {
        return "localhost/vernier-no-such-image:1";
    }

    /** The engine relays stdout and stderr as two streams. */
    @Override
    public boolean keepsOutputOrder() {
        return false;
    }

    /** A container's start-up counts toward MaxRuntimeInSeconds on Slurm (the clock starts with the wrapper). */
    @Override
    public long shortRuntimeSeconds() {
        return 6;
    }

    @Override
    public Map<String, UnaryOperator<JobSpecBuilder>> unsupportedFeatures() {
        Map<String, UnaryOperator<JobSpecBuilder>> features = new LinkedHashMap<>(super.unsupportedFeatures());
        features.put("InstanceCount 2", job -> job.instanceCount(2));
        return features;
    }
}
