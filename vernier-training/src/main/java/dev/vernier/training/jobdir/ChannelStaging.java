package dev.vernier.training.jobdir;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.objectstore.StagedPaths;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.channels.AugmentedManifest;
import dev.vernier.training.channels.Manifest;
import dev.vernier.training.channels.PipeFeeder;
import dev.vernier.training.channels.PipeFeeding;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Input channels brought from the object store to the program before it starts.
 *
 * <ul>
 *   <li>File and FastFile mode (FastFile is staged as File: the program sees the same files):
 *       S3Prefix copies every object under the prefix into {@code input/data/<channel>/};
 *       ManifestFile copies the manifest's objects there at their keys relative to its prefix.</li>
 *   <li>Pipe mode: the objects (S3Prefix, ManifestFile) or the augmented manifest's attributes
 *       (AugmentedManifestFile with AttributeNames) are first copied to the job's own state
 *       directory, Gzip objects decompressed, then sent through the FIFO {@code <channel>_<epoch>},
 *       a fresh one per epoch, as RecordIO records with RecordWrapperType RecordIO, by a process of
 *       the job's own that outlives a server restart ({@link PipeFeeding}).</li>
 *   <li>ShuffleConfig shuffles the order of each Pipe epoch (File mode has no order to shuffle).</li>
 *   <li>ShardedByS3Key gives host k of N the objects k, k+N, k+2N, ... in key order (the manifest's
 *       entries, the augmented manifest's lines), {@link TrainingHost#shardOf}; one host gets every
 *       object. FullyReplicated channels go whole to every host.</li>
 * </ul>
 * AttributeNames name the attributes of an AugmentedManifestFile and mean nothing with the other
 * types (as in SageMaker, which accepts them there). Keys and manifest entries that would land
 * outside the channel directory are refused.
 */
public final class ChannelStaging {
    private ChannelStaging() {}

    /** What staging cannot do for this job, one message per problem; empty when it can. */
    public static List<String> problems(TrainingJobSpec spec, ObjectStore objectStore) {
        List<String> problems = new ArrayList<>();
        for (InputChannel c : spec.inputChannels()) {
            String at = "channel '" + c.name() + "': ";
            String mode = c.modeIn(spec);
            boolean pipe = mode.equals("Pipe");
            if (!List.of("S3Prefix", "ManifestFile", "AugmentedManifestFile").contains(c.s3DataType()))
                problems.add(at + "S3DataType " + c.s3DataType() + " is not supported yet: use S3Prefix");
            if (c.s3DataType().equals("AugmentedManifestFile") && !pipe)
                problems.add(at + "AugmentedManifestFile in " + mode + " mode is not supported yet: use Pipe mode");
            if (c.s3DataType().equals("AugmentedManifestFile") && c.attributeNames().isEmpty())
                problems.add(at + "AugmentedManifestFile needs AttributeNames");
            if (!List.of("None", "Gzip").contains(c.compressionType()))
                problems.add(at + "CompressionType " + c.compressionType() + " is not supported yet: use None or Gzip");
            else if (!pipe && !c.compressionType().equals("None"))
                problems.add(at + "CompressionType " + c.compressionType() + " is used only in Pipe input mode: in "
                        + mode + " mode leave it unset or None");
            if (!List.of("None", "RecordIO").contains(c.recordWrapperType()))
                problems.add(at + "RecordWrapperType " + c.recordWrapperType() + " is not supported yet: use None or RecordIO");
            else if (!pipe && !c.recordWrapperType().equals("None"))
                problems.add(at + "RecordWrapperType " + c.recordWrapperType() + " is used only in Pipe input mode: in "
                        + mode + " mode leave it unset or None");
            if (!handles(objectStore, c.s3Uri()))
                problems.add(at + "S3Uri '" + c.s3Uri() + "' is not a location this server can read "
                        + "(s3://bucket/prefix in its object store, or file:///absolute/path)");
            if (!c.name().matches("[A-Za-z0-9._-]+") || c.name().startsWith("."))
                problems.add(at + "ChannelName must be letters, digits, '.', '_' and '-'");
        }
        return problems;
    }

    /** Stages every channel for the only host of a one-instance job. */
    public static Feeds stage(TrainingJobSpec spec, JobDirectory dir, ObjectStore objectStore) throws IOException {
        return stage(spec, dir, objectStore, TrainingHost.thisMachine());
    }

    /**
     * Stages every channel for {@code host}: File-mode channels into their directories, which
     * {@link JobDirectory#create} made; Pipe-mode channels into the job's state directory, with their
     * first FIFO made and the process that feeds them started. A ShardedByS3Key channel gets the
     * host's shard only.
     *
     * @return the Pipe feeding, to close when the program has ended (it also ends by itself then)
     */
    public static Feeds stage(TrainingJobSpec spec, JobDirectory dir, ObjectStore objectStore, TrainingHost host)
            throws IOException {
        List<PipeFeeder.Plan> plans = new ArrayList<>();
        for (InputChannel c : spec.inputChannels()) {
            URI uri = URI.create(c.s3Uri());
            TrainingHost shardFor = sharded(c) ? host : null;
            if (!c.modeIn(spec).equals("Pipe")) {
                if (c.s3DataType().equals("ManifestFile"))
                    stageManifest(uri, objectStore, dir.channel(c.name()), dir.state("manifests"), shardFor);
                else if (shardFor != null && shardFor.distributed())
                    stageShard(uri, objectStore, dir.channel(c.name()), dir.state("shards").resolve(c.name()), shardFor);
                else objectStore.copyPrefixTo(uri, dir.channel(c.name()));
                continue;
            }
            Path staging = dir.state("pipe").resolve(c.name());
            List<List<PipeFeeder.Item>> units = pipeUnits(c, uri, objectStore, staging);
            if (shardFor != null) units = shardFor.shardOf(units);
            Files.deleteIfExists(dir.channel(c.name()));   // Pipe mode has FIFOs, not a directory
            plans.add(new PipeFeeder.Plan(c.name(), units, c.shuffleSeed(), c.recordWrapperType().equals("RecordIO")));
        }
        return new Feeds(plans.isEmpty() ? null : PipeFeeding.start(feeding(dir), plans));
    }

    /** Whether the process feeding the job's Pipe channels has ended while the job has not (it was killed). */
    public static boolean pipeFeedingEndedBeforeTheJob(JobDirectory dir) throws IOException {
        return PipeFeeding.endedBeforeTheJob(feeding(dir));
    }

    private static PipeFeeding.Job feeding(JobDirectory dir) {
        return new PipeFeeding.Job(dir.root(), dir.inputData(), dir.state("pipe-feeder"), dir.log(),
                dir.state(JobDirectory.WRAPPER_PID), dir.state(JobDirectory.EXIT_CODE));
    }

    private static boolean sharded(InputChannel c) {
        return c.s3DataDistributionType().equals("ShardedByS3Key");
    }

    /**
     * An S3Prefix channel's shard in File mode: every object is copied to {@code scratch}, then the
     * host's objects moved into {@code channelDir} (the object store port lists no keys; the copy is
     * what lists them). Also used by backends that stage inside their own hosts.
     */
    public static void stageShard(URI uri, ObjectStore store, Path channelDir, Path scratch, TrainingHost host)
            throws IOException {
        Files.createDirectories(scratch.getParent(), StateFiles.PRIVATE_DIRECTORY);
        store.copyPrefixTo(uri, scratch);
        if (!Files.isDirectory(scratch)) return;
        for (Path object : host.shardOf(sortedFiles(scratch))) {
            Path target = channelDir.resolve(scratch.relativize(object).toString());
            Files.createDirectories(target.getParent());
            Files.move(object, target);
        }
        deleteTree(scratch);
    }

    private static List<Path> sortedFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .sorted((a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()))
                    .toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A ManifestFile in File mode: each listed object (the host's shard of them, when sharded) at its key relative to the manifest's prefix. */
    private static void stageManifest(URI uri, ObjectStore store, Path channelDir, Path scratch, TrainingHost shardFor)
            throws IOException {
        Manifest manifest = readManifest(uri, store, scratch);
        List<String> keys = shardFor == null ? manifest.keys() : shardFor.shardOf(manifest.keys());
        for (String key : keys)
            store.copyObjectTo(manifest.location(key), StagedPaths.inside(channelDir, key, "manifest entry"));
    }

    private static Manifest readManifest(URI uri, ObjectStore store, Path scratch) throws IOException {
        Files.createDirectories(scratch);
        Path file = Files.createTempFile(scratch, "manifest", ".json");
        store.copyObjectTo(uri, file);
        return Manifest.read(file, uri);
    }

    private static List<List<PipeFeeder.Item>> pipeUnits(InputChannel c, URI uri, ObjectStore store, Path staging)
            throws IOException {
        Files.createDirectories(staging);
        List<Path> objects = new ArrayList<>();
        switch (c.s3DataType()) {
            case "AugmentedManifestFile" -> {
                Path manifest = staging.resolve("manifest.jsonl");
                store.copyObjectTo(uri, manifest);
                List<List<PipeFeeder.Item>> units = AugmentedManifest.units(manifest, uri, c.attributeNames(), store,
                        Files.createDirectories(staging.resolve("refs")));
                if (c.compressionType().equals("Gzip"))
                    for (List<PipeFeeder.Item> unit : units)
                        for (PipeFeeder.Item item : unit) if (item.file() != null) gunzipInPlace(item.file());
                return units;
            }
            case "ManifestFile" -> {
                Manifest manifest = readManifest(uri, store, staging.resolve("manifest"));
                Path dir = Files.createDirectories(staging.resolve("objects"));
                for (int i = 0; i < manifest.keys().size(); i++) {
                    Path file = dir.resolve(Integer.toString(i));
                    store.copyObjectTo(manifest.location(manifest.keys().get(i)), file);
                    objects.add(file);
                }
            }
            default -> {
                Path dir = staging.resolve("objects");
                store.copyPrefixTo(uri, dir);
                if (Files.isDirectory(dir)) objects.addAll(sortedFiles(dir));
            }
        }
        List<List<PipeFeeder.Item>> units = new ArrayList<>();
        for (Path object : objects) {
            if (c.compressionType().equals("Gzip")) gunzipInPlace(object);
            units.add(List.of(PipeFeeder.Item.of(object)));
        }
        return units;
    }

    private static void gunzipInPlace(Path file) throws IOException {
        Path plain = file.resolveSibling(file.getFileName() + ".plain");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
             OutputStream out = Files.newOutputStream(plain)) {
            in.transferTo(out);
        } catch (java.util.zip.ZipException e) {
            throw new IOException("an object of a Gzip channel is not gzip data: " + e.getMessage(), e);
        }
        Files.move(plain, file, StandardCopyOption.REPLACE_EXISTING);
    }

    static boolean handles(ObjectStore objectStore, String uri) {
        try {
            return objectStore.handles(URI.create(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The Pipe feeding of a job (null: it has no Pipe channel); closing stops it. */
    public record Feeds(PipeFeeding feeding) implements AutoCloseable {
        @Override
        public void close() {
            if (feeding != null) feeding.close();
        }
    }
}
