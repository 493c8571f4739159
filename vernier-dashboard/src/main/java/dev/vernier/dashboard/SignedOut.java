package dev.vernier.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The sessions signed out before they expired: one line {@code <expiry epoch second> <session id>} each, appended to a
 * file in the data directory, so that a restarted server, and every server sharing the data directory, refuses them
 * too. Read again whenever the file changes (one stat per request). Lines of expired sessions are dropped when the file
 * grows past {@link #COMPACT_ABOVE} bytes.
 */
final class SignedOut {
    private static final long COMPACT_ABOVE = 256 * 1024;

    private final Path file;
    private final Clock clock;
    private Map<String, Long> ids = Map.of();
    private Object readVersion;

    SignedOut(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    synchronized boolean contains(String id, Instant expires) {
        refresh();
        Long until = ids.get(id);
        return until != null && until == expires.getEpochSecond();
    }

    synchronized void add(String id, Instant expires) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expires.getEpochSecond() + " " + id + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            if (Files.size(file) > COMPACT_ABOVE) compact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a sign-out in " + file, e);
        }
        readVersion = null;
    }

    private void refresh() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object version = a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
            if (version.equals(readVersion)) return;
            ids = read();
            readVersion = version;
        } catch (NoSuchFileException e) {
            ids = Map.of();
            readVersion = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signed-out sessions in " + file, e);
        }
    }

    private Map<String, Long> read() throws IOException {
        long now = clock.instant().getEpochSecond();
        Map<String, Long> out = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            if (space <= 0) continue;   // a line cut short by a crash: nothing to keep
            try {
                long until = Long.parseLong(line.substring(0, space));
                if (until > now) out.put(line.substring(space + 1), until);
            } catch (NumberFormatException e) {
                // as above
            }
        }
        return out;
    }

    /** Rewrites the file with the live entries only (a new file moved into place, so readers never see half of it). */
    private void compact() throws IOException {
        StringBuilder live = new StringBuilder();
        read().forEach((id, until) -> live.append(until).append(' ').append(id).append('\n'));
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, live, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
