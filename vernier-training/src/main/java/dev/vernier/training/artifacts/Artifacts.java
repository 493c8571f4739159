package dev.vernier.training.artifacts;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.jobdir.JobDirectory;
import java.io.IOException;
import java.net.URI;
import dev.vernier.training.jobdir.HostDirectories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job's artifacts in the object store, where SageMaker puts them: {@code model/} packed to
 * {@code <S3OutputPath>/<job>/output/model.tar.gz} and {@code output/data/} to
 * {@code .../output/output.tar.gz}. A job of several hosts gets one archive of each, with every
 * host's files merged: algo-1's first, then the others' that algo-1 has not given (a path written by
 * several hosts is algo-1's, else the lowest host's), so a program that saves on its leader only, as
 * the frameworks' examples do, gets the leader's model.
 */
public final class Artifacts {
    private Artifacts() {}

    /** @param outputPrefix {@code <S3OutputPath>/<job>/output/} ({@link TrainingJobSpec#outputPrefix()}) */
    public static String modelUri(String outputPrefix) {
        return outputPrefix + "model.tar.gz";
    }

    public static String outputDataUri(String outputPrefix) {
        return outputPrefix + "output.tar.gz";
    }

    /**
     * Packs and stores both archives; an empty or missing directory gives an empty archive, and so
     * does one that the program replaced by a symbolic link (or whose parent it replaced): the
     * server, maybe root, must not pack for the program what the link points at.
     */
    public static void store(ObjectStore objectStore, JobDirectory dir, String outputPrefix) throws IOException {
        List<JobDirectory> hosts = HostDirectories.all(dir);
        if (hosts.isEmpty()) hosts = List.of(dir);
        List<Path> models = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (JobDirectory host : hosts) {
            models.add(ownDirectory(host, host.model()));
            outputs.add(ownDirectory(host, host.outputData()));
        }
        pack(objectStore, models, modelUri(outputPrefix));
        pack(objectStore, outputs, outputDataUri(outputPrefix));
    }

    /** {@code path} when it is a directory reached through no symbolic link from the job directory, else a path that does not exist. */
    public static Path ownDirectory(JobDirectory dir, Path path) throws IOException {
        Path missing = dir.root().resolve(JobDirectory.STATE_DIR).resolve("no-such-directory");
        if (!java.nio.file.Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return missing;
        Path expected = dir.root().toRealPath().resolve(dir.root().relativize(path));
        return path.toRealPath().equals(expected) ? path : missing;
    }

    /** Why the job's S3OutputPath cannot take its artifacts, if it cannot. */
    public static Optional<String> outputPathProblem(TrainingJobSpec spec, ObjectStore objectStore) {
        try {
            if (objectStore.handles(URI.create(spec.s3OutputPath()))) return Optional.empty();
        } catch (IllegalArgumentException e) {
            // not a URI: as unusable as an unknown scheme
        }
        return Optional.of("S3OutputPath '" + spec.s3OutputPath() + "' is not a location this server can write "
                + "(s3://bucket/prefix in its object store, or file:///absolute/path)");
    }

    /** Packed straight into the store: a temporary copy would cost a file per artifact and job. */
    private static void pack(ObjectStore objectStore, List<Path> sources, String location) throws IOException {
        objectStore.write(URI.create(location), out -> TarGz.pack(sources, out));
    }
}
