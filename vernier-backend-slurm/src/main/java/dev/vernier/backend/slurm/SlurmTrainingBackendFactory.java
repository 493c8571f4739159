package dev.vernier.backend.slurm;

import dev.vernier.backend.container.ContainerTrainingBackendFactory;
import dev.vernier.backend.local.JobCommands;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.training.image.ImagePrograms;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code slurm} backend of the server's {@code backend} setting: each training job a Slurm
 * batch job, in {@code <slurm-jobs-dir>/<job>/} on a file system the nodes share.
 */
public final class SlurmTrainingBackendFactory implements TrainingBackendFactory {
    public static final String NAME = "slurm";
    public static final SettingKey JOBS_DIR = new SettingKey("slurm-jobs-dir", "",
            "directory of the Slurm jobs' directories, at the same path on the server and every node "
                    + "(a shared file system); default <data-dir>/slurm-jobs");
    public static final SettingKey IMAGES = new SettingKey("slurm-images", "",
            "TrainingImage names mapped to programs on the nodes: name=/path/to/program,other=/path/two");
    public static final SettingKey PARTITION = new SettingKey("slurm-partition", "",
            "sbatch --partition for training jobs; default: the cluster's default partition");
    public static final SettingKey ACCOUNT = new SettingKey("slurm-account", "", "sbatch --account for training jobs");
    public static final SettingKey QOS = new SettingKey("slurm-qos", "", "sbatch --qos for training jobs");
    public static final SettingKey SBATCH_OPTIONS = new SettingKey("slurm-sbatch-options", "",
            "further sbatch options for every training job, separated by spaces, e.g. --constraint=fast --exclusive");
    public static final SettingKey INSTANCE_TYPES = new SettingKey("slurm-instance-types", "",
            "InstanceType resources over the built-in table, type=CPUs:MiB:GPUs separated by commas, "
                    + "e.g. ml.m5.large=2:8192:0,ml.g5.xlarge=4:16384:1");
    public static final SettingKey CONTAINER_ENGINE = new SettingKey("slurm-container-engine", "",
            "podman, docker or the path of either on the nodes: TrainingImages that name container images run through it; "
                    + "empty: only programs (file:// and slurm-images) run");
    public static final SettingKey CONTAINER_IMAGES = new SettingKey("slurm-container-images", "",
            "with slurm-container-engine, TrainingImage names mapped to images of the nodes' engine, * matching any text: "
                    + "*/pytorch-training:*=localhost/my-pytorch:1,...");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "each training job a batch job on a Slurm cluster (sbatch, squeue, scancel on this machine)";
    }

    @Override
    public List<SettingKey> settingKeys() {
        return List.of(JOBS_DIR, IMAGES, PARTITION, ACCOUNT, QOS, SBATCH_OPTIONS, INSTANCE_TYPES, CONTAINER_ENGINE,
                CONTAINER_IMAGES);
    }

    @Override
    public void validate(Map<String, String> settings) {
        ImagePrograms.parse(IMAGES.name(), settings.getOrDefault(IMAGES.name(), ""));
        InstanceTypes.parse(settings.getOrDefault(INSTANCE_TYPES.name(), ""));
        ContainerTrainingBackendFactory.checkImageMapping(settings.getOrDefault(CONTAINER_IMAGES.name(), ""));
        if (settings.getOrDefault(CONTAINER_ENGINE.name(), "").isBlank()
                && !settings.getOrDefault(CONTAINER_IMAGES.name(), "").isBlank())
            throw new IllegalArgumentException("slurm-container-images needs slurm-container-engine (podman or docker)");
        String jobsDir = settings.getOrDefault(JOBS_DIR.name(), "");
        if (!jobsDir.isBlank() && !Path.of(jobsDir).isAbsolute())
            throw new IllegalArgumentException("slurm-jobs-dir must be an absolute path, got '" + jobsDir + "'");
        for (SettingKey key : List.of(PARTITION, ACCOUNT, QOS)) {
            String value = settings.getOrDefault(key.name(), "");
            if (!value.isBlank() && !value.strip().matches("[A-Za-z0-9_.,-]+"))
                throw new IllegalArgumentException(key.name() + " must be Slurm names (letters, digits, _ . , -), got '"
                        + value + "'");
        }
        for (String option : options(settings.getOrDefault(SBATCH_OPTIONS.name(), "")))
            if (!option.startsWith("-"))
                throw new IllegalArgumentException("slurm-sbatch-options must be options starting with '-', got '"
                        + option + "' (write --option=value)");
    }

    @Override
    public TrainingBackend create(Context context) {
        String jobsDir = context.setting(JOBS_DIR);
        Path jobsRoot = jobsDir == null || jobsDir.isBlank() ? context.dataDir().resolve("slurm-jobs") : Path.of(jobsDir);
        String engine = context.setting(CONTAINER_ENGINE);
        // The engine is checked, and images are looked for, on this machine: the nodes' engine is assumed alike.
        JobCommands containers = engine == null || engine.isBlank() ? null
                : ContainerTrainingBackendFactory.imageCommands(engine, context.setting(CONTAINER_IMAGES), jobsRoot,
                        context.objectStore());
        return new SlurmTrainingBackend(new SlurmSettings(jobsRoot,
                ImagePrograms.parse(IMAGES.name(), context.setting(IMAGES)), context.setting(PARTITION), context.setting(ACCOUNT),
                context.setting(QOS), options(context.setting(SBATCH_OPTIONS)),
                InstanceTypes.parse(context.setting(INSTANCE_TYPES)), context.logCapBytes(),
                context.stopGracePeriod(), context.clock()), context.objectStore(), containers);
    }

    private static List<String> options(String setting) {
        return setting == null || setting.isBlank() ? List.of() : Arrays.asList(setting.strip().split("\\s+"));
    }
}
