package dev.vernier.backend.local;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.script.ImagePatterns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the wrapper of a job runs: the part of the local backend that varies. By default
 * ({@link #localPrograms}) the program a {@code file://} TrainingImage names, or the one the
 * {@code images} setting maps an image to; the container backend runs {@code podman run <image> train}
 * under the same wrapper, and so reuses how runs are started, watched, stopped and found again.
 */
public interface JobCommands {
    /**
     * What makes {@code spec} impossible here, besides what every backend checks (channels, output).
     *
     * @throws dev.vernier.core.training.UnsupportedImageException when the image cannot run here
     */
    List<String> problems(TrainingJobSpec spec);

    /**
     * Whether the command is the training program itself, which the local backend confines (its own cgroup,
     * network namespace under EnableNetworkIsolation, the job user without capabilities); false for an engine
     * that confines what it runs itself (a container engine, run as the server's user).
     */
    default boolean confines(TrainingJobSpec spec) {
        return true;
    }

    /** The local program a job runs, when it is one, so that the job user's right to run it can be checked. */
    default Optional<Path> localProgram(TrainingJobSpec spec) {
        return Optional.empty();
    }

    /** The host that the job's program is told it runs on. */
    default TrainingHost host(TrainingJobSpec spec) {
        return TrainingHost.thisMachine();
    }

    /**
     * Why this job cannot run several hosts (InstanceCount &gt; 1) here, if it cannot; a job of several
     * hosts gets its command from {@link #command(TrainingJobSpec, JobDirectory, JobDirectory, TrainingHost)}.
     */
    default Optional<String> severalHostsProblem(TrainingJobSpec spec) {
        return Optional.of("InstanceCount " + spec.resources().instanceCount() + " (distributed training) is not "
                + "supported by this backend yet for this TrainingImage: use InstanceCount 1");
    }

    /**
     * The command of one host of a job of several: staged in {@code dir}, the host's directory, which the
     * program sees as {@code seenByProgram}.
     */
    default Command command(TrainingJobSpec spec, JobDirectory dir, JobDirectory seenByProgram, TrainingHost host)
            throws IOException {
        if (!dir.equals(seenByProgram)) throw new UnsupportedOperationException("a program that sees its directory elsewhere");
        return command(spec, dir, host);
    }

    /**
     * The command the wrapper runs in the job's directory, and the variables added to its
     * environment. Called once per launch, after the directory is laid out and its channels staged.
     */
    Command command(TrainingJobSpec spec, JobDirectory dir, TrainingHost host) throws IOException;

    /**
     * When the training program itself started, where that is later than the launch (a container's start-up
     * is not training time: SageMaker counts MaxRuntimeInSeconds from when training starts). Asked only once
     * MaxRuntimeInSeconds has passed since the launch; empty (the default, or not started yet): count from the launch.
     */
    default Optional<java.time.Instant> programStarted(String jobName, JobDirectory dir) {
        return Optional.empty();
    }

    /**
     * The run of {@code jobName} is over, or its process group has just been killed: whatever it
     * started outside its process group (a container) must go too. Called only after a stop, a kill
     * or a vanished run, never after a run that ended by itself.
     */
    default void cleanUp(String jobName) {}

    /** A command line and the variables it adds to the server's environment. */
    record Command(List<String> program, Map<String, String> environment) {
        public Command {
            program = List.copyOf(program);
            environment = Map.copyOf(environment);
        }
    }

    /** The framework images whose script-mode jobs run with the local python3 unless the {@code script-images} setting says otherwise. */
    String DEFAULT_SCRIPT_IMAGES = "*pytorch*=python3,*sklearn*=python3,*scikit-learn*=python3,*tensorflow*=python3,"
            + "*xgboost*=python3,*mxnet*=python3,*huggingface*=python3,*chainer*=python3";

    /**
     * Local programs: {@code file:///abs/program} or an image the {@code images} setting maps, run as
     * {@code program train}; script mode with the Python {@code scriptImages} gives the job's image.
     */
    static JobCommands localPrograms(Map<String, String> imagePrograms, ImagePatterns scriptImages,
                                     ObjectStore objectStore) {
        return new LocalPrograms(LocalPrograms.images(imagePrograms), scriptImages, objectStore);
    }
}
