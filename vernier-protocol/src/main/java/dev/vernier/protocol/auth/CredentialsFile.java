package dev.vernier.protocol.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An AWS shared-credentials file (INI) holding one profile, readable by every AWS CLI and SDK. */
final class CredentialsFile {
    private CredentialsFile() {}

    /**
     * The profile's key, or empty if the file does not exist.
     *
     * @throws IllegalStateException if the file exists but lacks the profile or its two keys
     */
    static Optional<AccessKey> read(Path file, String profile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credentials file " + file, e);
        }
        Map<String, String> values = new HashMap<>();
        String section = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
            } else if (profile.equals(section) && line.contains("=")) {
                int equals = line.indexOf('=');
                values.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
            }
        }
        String id = values.get("aws_access_key_id");
        String secret = values.get("aws_secret_access_key");
        if (id == null || secret == null) {
            throw new IllegalStateException("credentials file " + file + " has no profile [" + profile
                    + "] with aws_access_key_id and aws_secret_access_key; fix or delete it, or configure access keys");
        }
        try {
            return Optional.of(new AccessKey(id, secret));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a new file readable by its owner only: the content goes to a private temporary file first, which is then
     * hard-linked to its name, so that no reader ever sees a partly written file or one with wider permissions.
     *
     * @throws FileAlreadyExistsException if the file exists (another process may have won the race; read it then)
     */
    static void create(Path file, String profile, AccessKey key, String comment) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, ".credentials-", ".tmp", ownerOnly(directory));
        try {
            String text = comment.lines().map(line -> "# " + line + "\n").reduce("", String::concat)
                    + "[" + profile + "]\n"
                    + "aws_access_key_id = " + key.id() + "\n"
                    + "aws_secret_access_key = " + key.secret() + "\n";
            try (FileChannel channel = FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.createLink(file, temporary);
            } catch (UnsupportedOperationException e) {
                Files.move(temporary, file); // no hard links here: a move that refuses to replace is the next best
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) {
        if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }
}
