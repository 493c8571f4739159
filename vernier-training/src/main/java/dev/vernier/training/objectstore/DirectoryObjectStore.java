package dev.vernier.training.objectstore;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.objectstore.StagedPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The default object store: {@code s3://bucket/key} is the file {@code <root>/<bucket>/<key>};
 * {@code file:///abs/path} is that path. Keys that would escape their bucket ("..") are refused.
 * A write goes to a hidden partial file beside its target and is renamed into place, and staging
 * skips partial files, so neither a reader nor a crash ever exposes half an object.
 * Channels are copied, not hard-linked, so that a training program that writes into its input
 * cannot change the stored data.
 */
public final class DirectoryObjectStore implements ObjectStore {
    /** How the file of a write under way is named, beside its target. */
    private static final String PARTIAL = ".vernier-partial-";

    private final Path root;

    public DirectoryObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public boolean handles(URI location) {
        try {
            resolve(location);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The local path of an object location (for s3://, below the bucket's folder). */
    public Path resolve(URI location) {
        return resolve(location, location.getPath());
    }

    /**
     * The local path of {@code path} (decoded, as {@link URI#getPath()} gives it) in the bucket or
     * file system that {@code location} names.
     */
    private Path resolve(URI location, String path) {
        String scheme = location.getScheme();
        if ("file".equals(scheme)) {
            if (location.getAuthority() != null && !location.getAuthority().isEmpty())
                throw new IllegalArgumentException("file URIs must be file:///absolute/path: " + location);
            if (path == null || !path.startsWith("/"))
                throw new IllegalArgumentException("file URIs must be file:///absolute/path: " + location);
            return Path.of(path).normalize();
        }
        if ("s3".equals(scheme)) {
            String bucket = location.getAuthority();
            if (bucket == null || bucket.isEmpty() || bucket.startsWith(".") || bucket.contains("/"))
                throw new IllegalArgumentException("not an s3://bucket/key location: " + location);
            Path bucketDir = root.resolve(bucket).normalize();
            String keyPath = path == null ? "" : path;
            String key = keyPath.startsWith("/") ? keyPath.substring(1) : keyPath;
            Path resolved = bucketDir.resolve(key).normalize();
            if (!resolved.startsWith(bucketDir) || !bucketDir.getParent().equals(root))
                throw new IllegalArgumentException("key escapes its bucket: " + location);
            return resolved;
        }
        throw new IllegalArgumentException("unsupported location (only s3:// and file://): " + location);
    }

    @Override
    public boolean hasObjects(URI prefix) throws IOException {
        for (Path start : matches(prefix)) {
            try (Stream<Path> files = Files.walk(start)) {
                if (files.anyMatch(f -> Files.isRegularFile(f) && !isPartial(f))) return true;
            }
        }
        return false;
    }

    /** The entries of the prefix's directory whose names start with its last part. */
    private List<Path> matches(URI prefix) throws IOException {
        String path = prefix.getPath() == null ? "" : prefix.getPath();
        Path dir = resolve(prefix, path.substring(0, path.lastIndexOf('/') + 1));
        String namePrefix = path.substring(path.lastIndexOf('/') + 1);
        List<Path> matches = new ArrayList<>();
        if (!Files.isDirectory(dir)) return matches;
        try (Stream<Path> top = Files.list(dir)) {
            for (Path p : (Iterable<Path>) top::iterator)
                if (p.getFileName().toString().startsWith(namePrefix)) matches.add(p);
        }
        return matches;
    }

    @Override
    public int copyPrefixTo(URI prefix, Path targetDir) throws IOException {
        // The prefix's "directory" (up to its last '/') is what object keys are made relative to;
        // both parts are taken from the decoded key, as file names on disk are ("my%20data" is "my data").
        String path = prefix.getPath() == null ? "" : prefix.getPath();
        Path dir = resolve(prefix, path.substring(0, path.lastIndexOf('/') + 1));
        String namePrefix = path.substring(path.lastIndexOf('/') + 1);
        if (!Files.isDirectory(dir)) return 0;
        List<Path> matches = matches(prefix);
        int copied = 0;
        for (Path start : matches) {
            try (Stream<Path> files = Files.walk(start)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (!Files.isRegularFile(file) || isPartial(file)) continue;
                    Path target = targetDir.resolve(StagedPaths.relativeToPrefix(dir.relativize(file).toString(), namePrefix));
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    copied++;
                }
            }
        }
        return copied;
    }

    @Override
    public void copyObjectTo(URI location, Path target) throws IOException {
        Path file = resolve(location);
        String path = location.getPath() == null ? "" : location.getPath();
        if (path.isEmpty() || path.endsWith("/") || isPartial(file) || !Files.isRegularFile(file))
            throw new java.nio.file.NoSuchFileException(location.toString(), null, "no such object");
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A write under way (or one cut short by a crash): no object. */
    private static boolean isPartial(Path file) {
        return file.getFileName().toString().startsWith(PARTIAL);
    }

    @Override
    public void write(URI location, Content content) throws IOException {
        Path target = resolve(location);
        String path = location.getPath();
        if (path.isEmpty() || path.endsWith("/"))
            throw new IllegalArgumentException("an object location needs a key that does not end with '/': " + location);
        Files.createDirectories(target.getParent());
        // Write beside the target (same file system), then rename: readers never see half an object.
        // Each write has its own partial file, so concurrent writes of one key cannot mix, and
        // copyPrefixTo never stages one.
        Path partial = target.resolveSibling(PARTIAL + UUID.randomUUID());
        try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            content.writeTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
