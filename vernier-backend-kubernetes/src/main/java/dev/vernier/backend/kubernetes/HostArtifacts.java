package dev.vernier.backend.kubernetes;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.training.artifacts.Artifacts;
import dev.vernier.training.artifacts.TarGz;
import dev.vernier.training.artifacts.Unpack;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The artifacts of a job of several hosts: each host's upload sidecar stores its own
 * {@code model.tar.gz} and {@code output.tar.gz} below {@link JobSpecs#uploadPrefix} (a key of its
 * own, so that no host's upload replaces another's), and the server merges them into the job's, as
 * the local backend packs its hosts' directories ({@link Artifacts}): algo-1's files first, then
 * what the others add (a path several hosts wrote is algo-1's, else the lowest host's). Merging
 * again gives the same archives, so a server stopped half-way merges again.
 */
final class HostArtifacts {
    private static final List<String> ARCHIVES = List.of("model.tar.gz", "output.tar.gz");

    private HostArtifacts() {}

    /** Whether every host's upload has stored its model (after a stop, when the pods are gone). */
    static boolean allStored(ObjectStore store, String outputPrefix, List<String> hosts) throws IOException {
        for (String host : hosts)
            if (!store.hasObjects(URI.create(Artifacts.modelUri(JobSpecs.hostUploadPrefix(outputPrefix, host))))) return false;
        return true;
    }

    /** Unpacks each host's archives below {@code scratch} (removed after) and stores the job's merged ones. */
    static void merge(ObjectStore store, String outputPrefix, List<String> hosts, Path scratch) throws IOException {
        deleteTree(scratch);
        try {
            for (String archive : ARCHIVES) {
                List<Path> dirs = new ArrayList<>();
                for (String host : hosts) {
                    Path file = scratch.resolve(host).resolve(archive);
                    Files.createDirectories(file.getParent());
                    store.copyObjectTo(URI.create(JobSpecs.hostUploadPrefix(outputPrefix, host) + archive), file);
                    Path dir = scratch.resolve(host).resolve(archive + ".d");
                    try (InputStream in = Files.newInputStream(file)) {
                        Unpack.tar(in, dir);
                    }
                    Files.delete(file);
                    dirs.add(dir);
                }
                store.write(URI.create(outputPrefix + archive), out -> TarGz.pack(dirs, out));
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
