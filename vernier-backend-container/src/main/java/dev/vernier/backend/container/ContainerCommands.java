package dev.vernier.backend.container;

import dev.vernier.backend.local.JobCommands;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.TrainingEnvironment;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.script.ImagePatterns;
import dev.vernier.training.script.ScriptMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * What a job's wrapper runs on the container backend: {@code <engine> run <image> train}, as
 * SageMaker runs a training image, in the foreground, so that the wrapper records the container's
 * exit status and the container's output lands in the job's log, and a stop (SIGTERM to the
 * wrapper's process group) reaches the container through the client's signal proxy. The job
 * directory is mounted at /opt/ml; the environment is SageMaker's for /opt/ml, passed by name
 * ({@code -e NAME}), so that no value shows on a command line. {@code file://} images are local
 * programs, as on the local backend.
 */
final class ContainerCommands implements JobCommands {
    /** The container's label that names its training job. */
    static final String JOB_LABEL = "dev.vernier.training-job";
    private static final long IMAGE_CHECK_MILLIS = 60_000;
    private static final String STARTED_FILE = "container-started";

    private final ContainerBackendSettings settings;
    private final ObjectStore objectStore;
    private final JobCommands localPrograms;
    /** Images found present, and when: launching re-checks an image at most once a minute. */
    private final Map<String, Long> present = new ConcurrentHashMap<>();

    ContainerCommands(ContainerBackendSettings settings, ObjectStore objectStore) {
        this.settings = settings;
        this.objectStore = objectStore;
        this.localPrograms = JobCommands.localPrograms(Map.of(), ImagePatterns.parse("script-images", ""), objectStore);
    }

    static boolean isLocalProgram(String trainingImage) {
        return trainingImage.startsWith("file:");
    }

    @Override
    public List<String> problems(TrainingJobSpec spec) {
        if (isLocalProgram(spec.trainingImage())) return localPrograms.problems(spec);
        String image = settings.images().resolve(spec.trainingImage());
        Long seen = present.get(image);
        if (seen == null || System.currentTimeMillis() - seen > IMAGE_CHECK_MILLIS) {
            if (!settings.engine().imageExists(image))
                throw new UnsupportedImageException("TrainingImage '" + spec.trainingImage() + "'"
                        + (image.equals(spec.trainingImage()) ? "" : " (mapped to '" + image + "')")
                        + " is not an image of this server's container engine (" + settings.engine().name()
                        + "): build or load it there, or map the name to a local image with the container-images "
                        + "setting" + (settings.images().isEmpty() ? "" : " (mapped now: " + settings.images() + ")"));
            present.put(image, System.currentTimeMillis());
        }
        return ScriptMode.of(spec).map(script -> script.problems(objectStore)).orElse(List.of());
    }

    @Override
    public boolean confines(TrainingJobSpec spec) {
        return isLocalProgram(spec.trainingImage());
    }

    @Override
    public java.util.Optional<java.nio.file.Path> localProgram(TrainingJobSpec spec) {
        return isLocalProgram(spec.trainingImage()) ? localPrograms.localProgram(spec) : java.util.Optional.empty();
    }

    @Override
    public TrainingHost host(TrainingJobSpec spec) {
        if (isLocalProgram(spec.trainingImage())) return localPrograms.host(spec);
        int machine = Runtime.getRuntime().availableProcessors();
        return settings.instanceTypes().size(spec.resources().instanceType())
                .map(size -> TrainingHost.single(Math.max(1, (int) Math.min(Math.floor(size.cpus()), machine)),
                        Math.min(size.gpus(), gpuDevices().size())))
                .orElse(TrainingHost.single(machine, 0));
    }

    @Override
    public Command command(TrainingJobSpec spec, JobDirectory dir, TrainingHost host) throws java.io.IOException {
        if (isLocalProgram(spec.trainingImage())) return localPrograms.command(spec, dir, host);
        Map<String, String> environment = TrainingEnvironment.of(spec, new JobDirectory(JobDirectory.CONTAINER_ROOT), host);
        Optional<ScriptMode> script = ScriptMode.of(spec);
        List<String> inside = List.of("train");
        if (script.isPresent()) {
            script.get().stage(dir, objectStore);
            environment = script.get().environment(environment, spec);
            inside = script.get().command(JobDirectory.CONTAINER_ROOT.resolve(ScriptMode.CODE_DIR), settings.python());
        }
        List<String> run = new ArrayList<>(List.of(settings.engine().executable(), "run", "--rm", "--pull", "never",
                "--name", containerName(spec.trainingJobName()), "--label", JOB_LABEL + "=" + spec.trainingJobName(),
                "--log-driver", "none", "--volume", dir.root() + ":" + JobDirectory.CONTAINER_ROOT));
        if (settings.engine().podman()) run.add("--replace");
        for (String limit : settings.ulimits()) run.addAll(List.of("--ulimit", limit));
        if (spec.enableNetworkIsolation()) run.addAll(List.of("--network", "none"));
        else if (!settings.network().isEmpty()) run.addAll(List.of("--network", settings.network()));
        settings.instanceTypes().size(spec.resources().instanceType()).ifPresent(size -> {
            String memory = Math.round(size.memoryGib() * 1024) + "m";
            run.addAll(List.of("--cpus", String.format(Locale.ROOT, "%.2f", Math.min(size.cpus(),
                    Runtime.getRuntime().availableProcessors())), "--memory", memory, "--memory-swap", memory));
        });
        if (host.gpus() > 0) {
            for (Path device : gpuDevices().subList(0, host.gpus())) run.addAll(List.of("--device", device.toString()));
            for (String shared : List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"))
                if (Files.exists(Path.of(shared))) run.addAll(List.of("--device", shared));
        }
        for (String name : environment.keySet()) run.addAll(List.of("--env", name));
        if (script.isPresent()) run.addAll(List.of("--entrypoint", inside.getFirst()));
        run.add(settings.images().resolve(spec.trainingImage()));
        run.addAll(script.isPresent() ? inside.subList(1, inside.size()) : inside);
        return new Command(run, environment);
    }

    /**
     * The container's start (the engine's State.StartedAt): its start-up is not training time. Kept in the job's
     * directory once known, so the engine is asked once per job that runs for MaxRuntimeInSeconds.
     */
    @Override
    public Optional<Instant> programStarted(String jobName, JobDirectory dir) {
        Path known = dir.state(STARTED_FILE);
        try {
            if (Files.exists(known)) return Optional.of(Instant.parse(Files.readString(known).strip()));
        } catch (IOException | java.time.format.DateTimeParseException e) {
            // unreadable: ask the engine again
        }
        Optional<Instant> started = settings.engine().startedAt(containerName(jobName));
        started.ifPresent(at -> {
            try {
                Files.writeString(known, at + "\n");
            } catch (IOException e) {
                // not kept: asked again next time
            }
        });
        return started;
    }

    @Override
    public void cleanUp(String jobName) {
        settings.engine().remove(containerName(jobName));
    }

    /** The container of a job: deterministic, so that it is found again after a restart, and apart per data directory. */
    String containerName(String jobName) {
        return "vernier-" + settings.dataDirTag() + "-" + jobName;
    }

    /** This machine's GPUs, /dev/nvidia0, /dev/nvidia1, ... */
    private static List<Path> gpuDevices() {
        return IntStream.range(0, 64).mapToObj(i -> Path.of("/dev/nvidia" + i)).takeWhile(Files::exists).toList();
    }
}
