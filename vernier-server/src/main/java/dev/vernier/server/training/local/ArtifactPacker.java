package dev.vernier.server.training.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Packs a directory into a .tar.gz with the system's tar (no extra library), entries named as
 * SageMaker names them: relative to the directory, without a leading "./".
 */
final class ArtifactPacker {
    private ArtifactPacker() {}

    static void pack(Path dir, Path tarGz) throws IOException {
        Files.createDirectories(dir);
        Path names = Files.createTempFile(tarGz.getParent(), "entries", ".lst");
        Path errors = Files.createTempFile(tarGz.getParent(), "tar", ".err");
        try {
            StringBuilder list = new StringBuilder();
            try (Stream<Path> entries = Files.list(dir)) {
                entries.map(p -> p.getFileName().toString()).sorted().forEach(n -> list.append(n).append('\0'));
            }
            Files.writeString(names, list, StandardCharsets.UTF_8);
            Process tar = new ProcessBuilder("tar", "--null", "-czf", tarGz.toString(), "-C", dir.toString(),
                    "-T", names.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile()).start();
            if (!tar.waitFor(30, TimeUnit.MINUTES)) {
                tar.destroyForcibly();
                throw new IOException("tar of " + dir + " timed out");
            }
            if (tar.exitValue() != 0)
                throw new IOException("tar of " + dir + " failed: " + Files.readString(errors).strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while packing " + dir, e);
        } finally {
            Files.deleteIfExists(names);
            Files.deleteIfExists(errors);
        }
    }
}
