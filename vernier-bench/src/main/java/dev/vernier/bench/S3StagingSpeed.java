package dev.vernier.bench;

import dev.vernier.objectstore.s3.S3ObjectStore;
import dev.vernier.objectstore.s3.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Stages one S3 prefix into a fresh directory with the S3 object store, as a channel is staged, and
 * prints {@code objects bytes seconds MiB/s} per round. Usage:
 * {@code S3StagingSpeed ENDPOINT ACCESS_KEY SECRET s3://bucket/prefix/ TARGET_DIR ROUNDS}.
 */
public final class S3StagingSpeed {
    private S3StagingSpeed() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: S3StagingSpeed ENDPOINT ACCESS_KEY SECRET s3://bucket/prefix/ TARGET_DIR ROUNDS");
            System.exit(2);
        }
        S3Settings settings = S3Settings.of(URI.create(args[0]), "us-east-1", args[1], args[2]);
        URI prefix = URI.create(args[3]);
        Path target = Path.of(args[4]);
        int rounds = Integer.parseInt(args[5]);
        try (S3ObjectStore store = S3ObjectStore.open(settings)) {
            for (int round = 1; round <= rounds; round++) {
                delete(target);
                long start = System.nanoTime();
                int objects = store.copyPrefixTo(prefix, target);
                double seconds = (System.nanoTime() - start) / 1e9;
                long bytes = size(target);
                System.out.printf("vernier round %d: %d objects, %d bytes, %.3f s, %.1f MiB/s%n", round, objects, bytes,
                        seconds, bytes / seconds / (1 << 20));
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
