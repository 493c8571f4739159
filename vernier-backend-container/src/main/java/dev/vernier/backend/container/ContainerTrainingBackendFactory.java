package dev.vernier.backend.container;

import dev.vernier.backend.local.JobCommands;
import dev.vernier.backend.local.LocalBackendSettings;
import dev.vernier.backend.local.LocalTrainingBackend;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code container} backend of the server's {@code backend} setting: a TrainingImage that names
 * an image runs as a container of the local engine (podman or Docker), {@code file://} programs run
 * as local processes, both in {@code <data-dir>/jobs/<job>/} under the local backend's wrapper.
 */
public final class ContainerTrainingBackendFactory implements TrainingBackendFactory {
    public static final String NAME = "container";
    public static final SettingKey ENGINE = new SettingKey("container-engine", "auto",
            "podman, docker, the path of either, or auto: podman if it works here, else docker");
    public static final SettingKey IMAGES = new SettingKey("container-images", "",
            "TrainingImage names mapped to local images, * matching any text: */pytorch-training:*=localhost/my-pytorch:1,...");
    public static final SettingKey INSTANCE_TYPES = new SettingKey("container-instance-types", InstanceTypes.DEFAULTS,
            "CPUs, memory (GiB) and GPUs a container gets per InstanceType: type=cpus/memory[/gpus],...; others run without limits");
    public static final SettingKey ULIMITS = new SettingKey("container-ulimits", "nofile=20000:20000,nproc=32768:32768",
            "--ulimit values of every container, comma-separated; none: the engine's defaults (which may exceed what the server may grant)");
    public static final SettingKey NETWORK = new SettingKey("container-network", "",
            "--network of containers without EnableNetworkIsolation (which get none); empty: the engine's default");
    public static final SettingKey PYTHON = new SettingKey("container-python", "python3",
            "the Python inside images that runs script mode's .py entry points (sagemaker_program)");
    private static final Pattern ULIMIT = Pattern.compile("[a-z]+=-?[0-9]+(:-?[0-9]+)?");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "each training job a container of the local podman or Docker; file:// programs as local processes";
    }

    @Override
    public List<SettingKey> settingKeys() {
        return List.of(ENGINE, IMAGES, INSTANCE_TYPES, ULIMITS, NETWORK, PYTHON);
    }

    @Override
    public void validate(Map<String, String> settings) {
        ImageMapping.parse(settings.getOrDefault(IMAGES.name(), IMAGES.defaultValue()));
        InstanceTypes.parse(settings.getOrDefault(INSTANCE_TYPES.name(), INSTANCE_TYPES.defaultValue()));
        ulimits(settings.getOrDefault(ULIMITS.name(), ULIMITS.defaultValue()));
    }

    @Override
    public TrainingBackend create(Context context) {
        ContainerBackendSettings settings = new ContainerBackendSettings(ContainerEngine.choose(context.setting(ENGINE)),
                ImageMapping.parse(context.setting(IMAGES)), InstanceTypes.parse(context.setting(INSTANCE_TYPES)),
                ulimits(context.setting(ULIMITS)), context.setting(NETWORK), tag(context.dataDir().toAbsolutePath().normalize().toString()),
                context.setting(PYTHON));
        return new LocalTrainingBackend(new LocalBackendSettings(context.dataDir().resolve("jobs"), Map.of(),
                context.logCapBytes(), LocalBackendSettings.DEFAULT_LOG_TAIL_BYTES, context.stopGracePeriod(),
                LocalBackendSettings.DEFAULT_POLL_BUDGET_BYTES, context.clock(), List.of(), LocalBackendSettings.DEFAULT_RUN_AS),
                context.objectStore(),
                new ContainerCommands(settings, context.objectStore()));
    }

    /**
     * The commands that run TrainingImages naming container images under another backend's wrapper (the Slurm
     * backend's, on a node): this backend's image mapping, image checks and {@code run} options, without its
     * resource limits (the other backend allocates resources). The image checks ask {@code engine} on this machine.
     *
     * @param jobsRoot the directory of the other backend's job directories: container names are apart per jobsRoot
     * @throws IllegalArgumentException when the engine does not work here or the mapping is malformed
     */
    public static JobCommands imageCommands(String engine, String images, Path jobsRoot, ObjectStore objectStore) {
        return new ContainerCommands(new ContainerBackendSettings(ContainerEngine.choose(engine), ImageMapping.parse(images),
                InstanceTypes.parse(""), ulimits(ULIMITS.defaultValue()), "", tag(jobsRoot.toAbsolutePath().normalize().toString()),
                PYTHON.defaultValue()), objectStore);
    }

    /** @throws IllegalArgumentException saying what is wrong with an image mapping (the container-images syntax) */
    public static void checkImageMapping(String images) {
        ImageMapping.parse(images);
    }

    static List<String> ulimits(String setting) {
        if (setting == null || setting.isBlank() || setting.strip().equals("none")) return List.of();
        List<String> limits = Arrays.stream(setting.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String limit : limits)
            if (!ULIMIT.matcher(limit).matches())
                throw new IllegalArgumentException("container-ulimits must be name=soft[:hard] values separated by commas "
                        + "(nofile=20000:20000), or none, got '" + limit + "'");
        return limits;
    }

    private static String tag(String dataDir) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(dataDir.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
