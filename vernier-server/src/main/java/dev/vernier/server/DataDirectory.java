package dev.vernier.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's claim on its data directory: the directory is private to the server's user (0700), and
 * {@code vernier.lock} in it is locked for as long as the server runs (an OS file lock, released by the kernel
 * however the process ends), holding the server's pid. A second server on the same directory refuses to start
 * and names the process that holds it, instead of both running and fighting over the same jobs.
 */
public final class DataDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    static final String LOCK_FILE = "vernier.lock";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    /** What marks a directory as Vernier's own, so that its permissions may be tightened. */
    private static final Set<String> OWN_FILES = Set.of(LOCK_FILE, "vernier.db", "credentials");

    private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    /** A second server on a data directory that another one holds. */
    public static final class InUseException extends RuntimeException {
        InUseException(String message) {
            super(message);
        }
    }

    private DataDirectory(Path dir, Path key, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * The data directory of a server whose state is in a shared PostgreSQL database: replicas on one machine may
     * share it (takeover re-adopts the local training jobs there), so it is made private but not locked.
     */
    public static DataDirectory shared(Path dir) {
        try {
            makePrivate(dir);
            return new DataDirectory(dir, dir.toRealPath(), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the directory (0700) if needed, tightens an existing one of Vernier's to 0700, and locks it.
     *
     * @throws InUseException when another server holds it
     */
    public static DataDirectory claim(Path dir) {
        try {
            makePrivate(dir);
            Path key = dir.toRealPath();
            // Within one process the OS lock cannot tell two claims apart (and closing a second channel on the file
            // would release the first one's lock), so this process's claims are also kept here.
            if (!CLAIMED.add(key)) {
                throw new InUseException("the data directory " + dir + " is in use by another Vernier server (process "
                        + ProcessHandle.current().pid() + ", this one). Stop that server first, or give this one"
                        + " another --data-dir.");
            }
            try {
                return lock(dir, key);
            } catch (RuntimeException | IOException e) {
                CLAIMED.remove(key);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static DataDirectory lock(Path dir, Path key) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE), ownerOnly("rw-------"));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;   // this very process holds it
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new InUseException("the data directory " + dir + " is in use by another Vernier server ("
                    + holder + "). Stop that server first, or give this one another --data-dir.");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new DataDirectory(dir, key, channel, lock);
    }

    /** "process 1234: java ... server ...", or what is known of the holder. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return "a process that has not written its pid yet";
        }
        String command = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
        return "process " + pid + (command.isEmpty() ? "" : ": " + abbreviate(command));
    }

    private static String abbreviate(String command) {
        return command.length() <= 200 ? command : command.substring(0, 200) + "...";
    }

    private static void makePrivate(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.createDirectory(dir, ownerOnly("rwx------"));
            return;
        }
        if (!posix(dir)) return;
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(dir);
        // The job user reaches its job directories (jobs/) through here, by the search permission for others that
        // the local backend gives: taking it away would cut the running jobs that this server re-adopts off from
        // their own files. Nothing is readable through it.
        Set<PosixFilePermission> wanted = java.util.EnumSet.copyOf(OWNER_ONLY_DIR);
        if (current.contains(PosixFilePermission.OTHERS_EXECUTE) && Files.isDirectory(dir.resolve("jobs")))
            wanted.add(PosixFilePermission.OTHERS_EXECUTE);
        if (current.equals(wanted)) return;
        boolean ours;
        try (Stream<Path> entries = Files.list(dir)) {
            ours = entries.map(p -> p.getFileName().toString()).allMatch(OWN_FILES::contains)
                    || OWN_FILES.stream().anyMatch(f -> Files.exists(dir.resolve(f)));
        }
        if (ours) {
            Files.setPosixFilePermissions(dir, wanted);
        } else {
            LOG.warn("The data directory {} is readable by other users ({}) and holds files that are not Vernier's,"
                    + " so its permissions were left as they are; a directory of its own is private (0700).",
                    dir, PosixFilePermissions.toString(current));
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }

    public Path path() {
        return dir;
    }

    /** Releases the lock; the file stays (removing it would let a third server lock a file nobody else sees). */
    @Override
    public void close() {
        if (lock == null) return;   // shared: never locked
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("could not release the lock on {}: {}", dir, e.getMessage());
        } finally {
            CLAIMED.remove(key);
        }
    }
}
