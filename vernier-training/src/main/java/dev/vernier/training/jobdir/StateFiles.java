package dev.vernier.training.jobdir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The server's files in a job directory: written beside, then renamed, so that a crash never
 * leaves half a file for the next server to read.
 */
public final class StateFiles {
    /** One mapper for every file of the job directory. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private StateFiles() {}

    public static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
