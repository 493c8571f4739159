package dev.vernier.training.jobdir;

import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A training job's directory, laid out like a SageMaker container's /opt/ml, plus
 * {@code vernier/}, the server's own files about the run (its log, the wrapper's pid and exit
 * code, the launch record...), which a later server reads to pick the run up again.
 *
 * <p>The same layout names the paths a program is given: a backend that shows the directory to
 * the program elsewhere (a container that mounts it at /opt/ml) describes the program's view as
 * {@code new JobDirectory(JobDirectory.CONTAINER_ROOT)}.
 */
public final class JobDirectory {
    /** Where SageMaker's containers see the directory. */
    public static final Path CONTAINER_ROOT = Path.of("/opt/ml");
    /** The server's own files, beside the program's. */
    public static final String STATE_DIR = "vernier";
    /** In the state directory, written by the job's wrapper: its pid when it starts, the program's exit status when it ends. */
    public static final String WRAPPER_PID = "pid";
    public static final String EXIT_CODE = "exit_code";

    private final Path root;

    public JobDirectory(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    public Path root() { return root; }
    public Path input() { return root.resolve("input"); }
    public Path inputConfig() { return root.resolve("input/config"); }
    public Path inputData() { return root.resolve("input/data"); }
    public Path channel(String name) { return inputData().resolve(name); }
    /** Packed to {@code <S3OutputPath>/<job>/output/model.tar.gz}. */
    public Path model() { return root.resolve("model"); }
    public Path output() { return root.resolve("output"); }
    /** Packed to {@code <S3OutputPath>/<job>/output/output.tar.gz}. */
    public Path outputData() { return root.resolve("output/data"); }
    /** Its text becomes the FailureReason of a failed job. */
    public Path failureFile() { return root.resolve("output/failure"); }
    public Path checkpoints() { return root.resolve("checkpoints"); }
    /** One of the server's own files, {@code vernier/<name>}. */
    public Path state(String name) { return root.resolve(STATE_DIR).resolve(name); }
    /** The program's stdout and stderr, {@code vernier/training.log}. */
    public Path log() { return state("training.log"); }

    /**
     * Creates the layout, a directory per channel and input/config's files, in a directory that does
     * not exist yet; the directory and everything in it private to the server's user (0700, files
     * 0600). A missing parent is created private too.
     */
    public void create(TrainingJobSpec spec, TrainingHost host) throws IOException {
        // Top-down, each parent first: Files.createDirectories on a path whose parents are missing
        // finds them by catching an exception per missing level.
        if (!Files.isDirectory(root.getParent())) Files.createDirectories(root.getParent(), StateFiles.PRIVATE_DIRECTORY);
        Files.createDirectory(root, StateFiles.PRIVATE_DIRECTORY);
        for (Path p : new Path[] {input(), inputConfig(), inputData(), model(), output(), outputData(), checkpoints(),
                root.resolve(STATE_DIR)})
            Files.createDirectory(p, StateFiles.PRIVATE_DIRECTORY);
        for (InputChannel c : spec.inputChannels()) Files.createDirectories(channel(c.name()), StateFiles.PRIVATE_DIRECTORY);
        StateFiles.writePrivate(log(), "");   // the launcher appends to it; created here so that it is private
        ConfigFiles.write(this, spec, host);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobDirectory d && d.root.equals(root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
