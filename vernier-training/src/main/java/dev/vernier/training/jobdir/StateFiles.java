package dev.vernier.training.jobdir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The server's files in a job directory: written beside, then renamed, so that a crash never
 * leaves half a file for the next server to read. Every file and directory the server writes in a
 * job directory is private to its user: files 0600, directories 0700.
 */
public final class StateFiles {
    /** One mapper for every file of the job directory. */
    public static final ObjectMapper JSON = new ObjectMapper();

    /** rw------- for the files of a job directory. */
    public static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** rwx------ for its directories. */
    public static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private StateFiles() {}

    public static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        writePrivate(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes {@code text} to a new or truncated file that only its owner may read (0600, also when it existed). */
    public static void writePrivate(Path file, String text) throws IOException {
        try (var channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), PRIVATE_FILE)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            var bytes = java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) channel.write(bytes);
        }
    }

    public static void writeJson(Path file, JsonNode value) throws IOException {
        write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    }

    /** The JSON in {@code file}, or null when there is no such file. */
    public static JsonNode readJson(Path file) throws IOException {
        if (!Files.exists(file)) return null;
        return JSON.readTree(file.toFile());
    }
}
