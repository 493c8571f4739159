package dev.vernier.backend.container;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.testkit.training.JobSpecBuilder;
import dev.vernier.testkit.training.TrainingBackendContract;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * The training-backend contract, run against the container backend as the server finds and makes it, with
 * real podman; {@link DockerTrainingBackendContractTest} runs it with Docker.
 */
class ContainerTrainingBackendContractTest extends TrainingBackendContract {
    private static final TrainingBackendFactory CONTAINER = ServiceLoader.load(TrainingBackendFactory.class).stream()
            .map(ServiceLoader.Provider::get).filter(f -> f.name().equals("container")).findFirst().orElseThrow();

    /** The container-engine setting of the backend under test. */
    protected String engine() {
        return "podman";
    }

    @Override
    protected TrainingBackend backend(TrainingBackendFactory.Context context) {
        TestImages.on(engine()).engineWithImages();
        Map<String, String> settings = new LinkedHashMap<>(context.settings());
        settings.put(ContainerTrainingBackendFactory.ENGINE.name(), engine());
        return CONTAINER.create(new TrainingBackendFactory.Context(settings, context.dataDir(), context.objectStore(),
                context.clock(), context.stopGracePeriod(), context.logCapBytes()));
    }

    @Override
    protected ObjectStore objectStore(Path dir) {
        return new DirectoryObjectStore(dir);
    }

    @Override
    protected String image(String program) {
        return TestImages.on(engine()).imageOf(program);
    }

    @Override
    public String unrunnableImage() {
        return "localhost/vernier-no-such-image:1";
    }

    /** A container takes a second or two to start on a loaded 2-core machine. */
    @Override
    public Duration patience() {
        return Duration.ofSeconds(60);
    }

    /** The engine relays stdout and stderr as two streams. */
    @Override
    public boolean keepsOutputOrder() {
        return false;
    }

    @Override
    public java.time.Duration stopGrace() {
        return java.time.Duration.ofSeconds(5);   // SIGTERM relayed by the engine's client, the container removed after
    }

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
