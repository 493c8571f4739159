package dev.vernier.backend.local;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.testkit.Programs;
import dev.vernier.testkit.training.JobSpecBuilder;
import dev.vernier.testkit.training.TrainingBackendContract;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtendWith;

/** The training-backend contract, run against the local backend as the server finds and makes it. */
@ExtendWith(KillsLeftoverJobs.class)
class LocalTrainingBackendContractTest extends TrainingBackendContract {
    private static final TrainingBackendFactory LOCAL = ServiceLoader.load(TrainingBackendFactory.class).stream()
            .map(ServiceLoader.Provider::get).filter(f -> f.name().equals("local")).findFirst().orElseThrow();

    @Override
    protected TrainingBackend backend(TrainingBackendFactory.Context context) {
        TestJobs.ROOTS.add(context.dataDir().toAbsolutePath());
        TestJobs.openToJobUser(context.dataDir().getParent());
        return LOCAL.create(context);
    }

    @Override
    protected ObjectStore objectStore(Path dir) {
        return new DirectoryObjectStore(dir);
    }

    @Override
    protected String image(String program) {
        return Programs.image(program);
    }

    @Override
    public Map<String, UnaryOperator<JobSpecBuilder>> unsupportedFeatures() {
        Map<String, UnaryOperator<JobSpecBuilder>> features = new LinkedHashMap<>(super.unsupportedFeatures());
        // several hosts run here, but not each in a network namespace of its own
        features.put("EnableNetworkIsolation with InstanceCount > 1", job -> job.instanceCount(2).networkIsolation());
        return features;
    }
}
