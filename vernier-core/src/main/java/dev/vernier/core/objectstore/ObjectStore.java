package dev.vernier.core.objectstore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Reads channel data from and writes artifacts to {@code s3://} and {@code file://} locations. */
public interface ObjectStore {
    /** Whether this store can read and write {@code location} (checked at create time, before any job runs). */
    boolean handles(URI location);

    /**
     * Copies every object whose key starts with {@code prefix} (SageMaker's S3Prefix) into
     * {@code targetDir} as the SageMaker Python SDK stages a prefix: at its key with the prefix
     * removed ({@code s3://b/data/train} puts {@code data/train/a/x.csv} at {@code targetDir/a/x.csv}),
     * or at its file name when the prefix is the whole key. {@code file:///dir} works the same way
     * (a directory's contents, or one file).
     *
     * @return the number of objects copied
     */
    int copyPrefixTo(URI prefix, Path targetDir) throws IOException;

    /**
     * Copies the one object at {@code location} (its whole key, not a prefix) to the file
     * {@code target}, replacing it. The default stages the key as a prefix into a scratch directory
     * beside {@code target} and keeps the object of that exact name; stores override it with a
     * direct read.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such object
     */
    default void copyObjectTo(URI location, Path target) throws IOException {
        String path = location.getPath() == null ? "" : location.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) throw new IllegalArgumentException("an object location needs a key that does not end with '/': " + location);
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path scratch = Files.createTempDirectory(parent, ".object-");
        try {
            copyPrefixTo(location, scratch);
            Path staged = scratch.resolve(name);
            if (!Files.isRegularFile(staged)) throw new NoSuchFileException(location.toString(), null, "no such object");
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            try (Stream<Path> left = Files.walk(scratch)) {
                for (Path p : left.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Whether {@link #copyPrefixTo} would copy at least one object from {@code prefix}: asked at
     * Create, so that a channel that matches nothing is refused as SageMaker refuses it ("No S3
     * objects found"). A store that cannot tell answers true, and staging finds out.
     */
    default boolean hasObjects(URI prefix) throws IOException {
        return true;
    }

    /**
     * Stores what {@code content} writes as the object at {@code location}, replacing any object
     * there; readers never see part of it, and nothing is stored when {@code content} throws.
     */
    void write(URI location, Content content) throws IOException;

    /** Writes an object's bytes. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}
