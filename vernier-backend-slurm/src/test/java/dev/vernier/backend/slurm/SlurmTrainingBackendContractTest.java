package dev.vernier.backend.slurm;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.testkit.Programs;
import dev.vernier.testkit.training.JobSpecBuilder;
import dev.vernier.testkit.training.TrainingBackendContract;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtendWith;

/** The training-backend contract, run against the Slurm backend as the server finds and makes it, on a real cluster. */
@ExtendWith(SlurmCluster.class)
class SlurmTrainingBackendContractTest extends TrainingBackendContract {
    /** Slurm adds its own SLURM_* variables, ENVIRONMENT=BATCH and its TMPDIR to every batch job. */
    @Override
    public boolean schedulerVariable(String name) {
        return name.startsWith("SLURM") || name.equals("ENVIRONMENT") || name.equals("TMPDIR");
    }

    /**
     * The test cluster tracks processes with proctrack/linuxproc, which loses a process that left the job's
     * session; clusters that track with cgroups (proctrack/cgroup) kill it. Documented in the README.
     */
    @Override
    public boolean killsEscapedProcesses() {
        return false;
    }

    static final TrainingBackendFactory SLURM = ServiceLoader.load(TrainingBackendFactory.class).stream()
            .map(ServiceLoader.Provider::get).filter(f -> f.name().equals("slurm")).findFirst().orElseThrow();

    @Override
    protected TrainingBackend backend(TrainingBackendFactory.Context context) {
        SlurmCluster.cancelAfterEach(context.dataDir());
        return SLURM.create(context);
    }

    @Override
    protected ObjectStore objectStore(Path dir) {
        return new DirectoryObjectStore(dir);
    }

    @Override
    protected String image(String program) {
        return Programs.image(program);
    }

    /** A Slurm job takes a few seconds to start on a loaded two-core machine. */
    @Override
    public Duration patience() {
        return Duration.ofSeconds(60);
    }

    @Override
    public Map<String, UnaryOperator<JobSpecBuilder>> unsupportedFeatures() {
        Map<String, UnaryOperator<JobSpecBuilder>> features = new LinkedHashMap<>(super.unsupportedFeatures());
        features.put("EnableNetworkIsolation", JobSpecBuilder::networkIsolation);
        return features;
    }
}
