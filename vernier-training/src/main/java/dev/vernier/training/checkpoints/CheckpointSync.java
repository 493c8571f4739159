package dev.vernier.training.checkpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingJobSpec.Checkpoints;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A job's checkpoint directory and its place in the object store. {@link #restore} fills the
 * directory before the program starts; {@link #start} copies every new or changed file to
 * {@code saveTo/<relative path>} every period while the program runs, and {@link #syncNow} once more
 * when it has ended. Where the checkpoints go is kept in the job's state directory, so that a server
 * that re-adopts the job after a restart still makes the last copy. Files are copied whole, one
 * object each; a file that changes during its copy is copied again at the next pass.
 */
public final class CheckpointSync implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CheckpointSync.class.getName());
    private static final String STATE_FILE = "checkpoints.json";

    private final ObjectStore store;
    private final URI saveTo;
    private final Path dir;
    private final Map<Path, String> copied = new HashMap<>();
    private ScheduledExecutorService timer;

    private CheckpointSync(ObjectStore store, URI saveTo, Path dir) {
        this.store = store;
        this.saveTo = saveTo;
        this.dir = dir;
    }

    /** Where the program's checkpoint directory is in the job directory: LocalPath below /opt/ml maps into it. */
    public static Optional<Path> localDir(JobDirectory job, Checkpoints c) {
        Path local = Path.of(c.localPath()).normalize();
        if (!local.isAbsolute() || !local.startsWith(JobDirectory.CONTAINER_ROOT) || local.equals(JobDirectory.CONTAINER_ROOT))
            return Optional.empty();
        Path rest = JobDirectory.CONTAINER_ROOT.relativize(local);
        if (rest.startsWith("input") || rest.startsWith(JobDirectory.STATE_DIR)) return Optional.empty();
        return Optional.of(job.root().resolve(rest.toString()));
    }

    /** What the job cannot do with these checkpoints, or empty. */
    public static Optional<String> problem(Checkpoints c, ObjectStore store) {
        if (!handles(store, c.saveTo()) || !handles(store, c.restoreFrom()))
            return Optional.of("CheckpointConfig.S3Uri '" + c.saveTo() + "' is not a location this server can write");
        if (localDir(new JobDirectory(Path.of("/job")), c).isEmpty())
            return Optional.of("CheckpointConfig.LocalPath '" + c.localPath() + "' is not supported yet: use a directory "
                    + "below /opt/ml other than /opt/ml/input (default /opt/ml/checkpoints)");
        return Optional.empty();
    }

    /** Copies the saved checkpoints into the directory (made if missing) and records where they go. */
    public static void restore(ObjectStore store, JobDirectory job, Checkpoints c) throws IOException {
        Path local = localDir(job, c).orElseThrow(() -> new IOException("unsupported LocalPath " + c.localPath()));
        Files.createDirectories(local);
        store.copyPrefixTo(uri(c.restoreFrom()), local);
        ObjectNode state = StateFiles.JSON.createObjectNode().put("SaveTo", c.saveTo()).put("LocalDir", local.toString());
        StateFiles.writeJson(job.state(STATE_FILE), state);
    }

    /** The job's recorded sync, if it has checkpoints. */
    public static Optional<CheckpointSync> of(ObjectStore store, JobDirectory job) throws IOException {
        Path file = job.state(STATE_FILE);
        if (!Files.exists(file)) return Optional.empty();
        var state = StateFiles.readJson(file);
        return Optional.of(new CheckpointSync(store, uri(state.get("SaveTo").asText()), Path.of(state.get("LocalDir").asText())));
    }

    /** Copies changes every {@code period} until {@link #close()}. */
    public CheckpointSync start(Duration period) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("checkpoints").factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                syncNow();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "copying checkpoints of " + dir + " to " + saveTo
                        + " failed; trying again: " + e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Copies every file that is new or changed since the last copy; returns how many were copied. */
    public synchronized int syncNow() throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        int n = 0;
        for (Path file : files) {
            String stamp;
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                stamp = Files.size(file) + "@" + modified.toMillis();
            } catch (IOException gone) {
                continue;   // deleted by the program meanwhile
            }
            if (stamp.equals(copied.get(file))) continue;
            String relative = dir.relativize(file).toString().replace('\\', '/');
            store.write(append(saveTo, relative), out -> Files.copy(file, out));
            copied.put(file, stamp);
            n++;
        }
        return n;
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }

    private static boolean handles(ObjectStore store, String location) {
        try {
            return store.handles(uri(location));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static URI uri(String location) throws IOException {
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            throw new IOException("not a location: " + location, e);
        }
    }

    private static URI append(URI base, String relative) throws IOException {
        try {
            return new URI(base.getScheme(), base.getAuthority(), base.getPath() + relative, null, null);
        } catch (URISyntaxException e) {
            throw new IOException("not a location: " + base + relative, e);
        }
    }
}
