package dev.vernier.training.log;

import dev.vernier.core.training.LogChunk;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Keeps a job's log ({@link JobDirectory#log()}) within its cap while something appends to it
 * that the server does not control (the wrapped program, which writes straight into it). The log
 * keeps its first {@code capBytes} and the last {@code tailBytes} of the output; what lies between
 * is dropped once the server has read it for metrics:
 *
 * <ul>
 *   <li><b>While the program runs</b>, parsed bytes between the cap and the last {@code tailBytes}
 *       are deallocated by punching a hole ({@code fallocate --punch-hole}), so the file keeps its
 *       size and the program's append offset, and no byte it writes is lost to a race. The hole is
 *       recorded in {@code vernier/log.dropped} ("cap keptFrom") for readers, who see the marker
 *       line instead of the hole's zeros. Holes are punched {@link #PUNCH_STEP} at a time.</li>
 *   <li><b>When the server falls behind</b> (more than a poll's budget unread past the cap), the
 *       reader skips to the last {@code tailBytes}: a runaway log is not parsed in full, as the cap
 *       promises only its head and its end.</li>
 *   <li><b>When the program has ended</b>, the log is rewritten as the head, the marker line and
 *       the whole lines of the tail, and renamed into place.</li>
 * </ul>
 *
 * <p>While no server runs, nothing enforces the cap: the program's output grows the file until a
 * server reads it again.
 */
public final class LogCap {
    /** The end of the output that a capped log keeps, by default. */
    public static final long DEFAULT_TAIL_BYTES = 64 * 1024;
    /** The hole punched into a running program's log, "cap keptFrom", in the job's state directory. */
    public static final String DROPPED = "log.dropped";
    /** Holes are punched at least this much at a time: one fallocate process per MiB of dropped log. */
    public static final long PUNCH_STEP = 1024 * 1024;
    private static final System.Logger LOG = System.getLogger(LogCap.class.getName());
    private static volatile boolean punchingWorks = true;

    private final long capBytes;
    private final long tailBytes;

    public LogCap(long capBytes, long tailBytes) {
        this.capBytes = capBytes;
        this.tailBytes = tailBytes;
    }

    /** The line that stands for the dropped output, in a compacted log and in reads of the hole. */
    public static byte[] marker(long capBytes) {
        return ("\n[vernier] the log reached its cap of " + capBytes
                + " bytes: output past it is dropped except the last lines, which follow\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Where to read from: {@code offset}, or the start of the kept tail when the reader is too far behind. */
    public record Position(long offset, boolean inLongLine) {}

    public Position skipBacklog(Path log, long offset, boolean inLongLine, int budgetBytes) throws IOException {
        if (offset < capBytes) return new Position(offset, inLongLine);
        long size = sizeOf(log);
        long tailStart = Math.max(capBytes, size - tailBytes);
        if (size - offset <= budgetBytes || tailStart <= offset) return new Position(offset, inLongLine);
        // Mid-line unless the byte before is a newline: then skip to the next line, as for an overlong line.
        try (FileChannel channel = FileChannel.open(log)) {
            ByteBuffer before = ByteBuffer.allocate(1);
            channel.read(before, tailStart - 1);
            byte b = before.array()[0];
            return new Position(tailStart, b != '\n' && b != '\r');
        }
    }

    /** Drops (deallocates) what lies between the cap and the last {@code tailBytes} before {@code parsedTo}. */
    public void dropParsed(JobDirectory dir, long parsedTo) throws IOException {
        long keepFrom = parsedTo - tailBytes;
        if (keepFrom - capBytes < PUNCH_STEP || !punchingWorks) return;
        long keptFrom = keptFrom(dir);
        if (keepFrom - Math.max(keptFrom, capBytes) < PUNCH_STEP) return;
        if (!punchHole(dir.log(), capBytes, keepFrom - capBytes)) return;
        StateFiles.write(dir.state(DROPPED), capBytes + " " + keepFrom + "\n");
    }

    /** Where the kept part after the hole starts; 0 when nothing was dropped yet. */
    private static long keptFrom(JobDirectory dir) throws IOException {
        long[] hole = hole(dir);
        return hole == null ? 0 : hole[1];
    }

    /** The recorded hole as {cap, keptFrom}, or null. */
    private static long[] hole(JobDirectory dir) throws IOException {
        Path file = dir.state(DROPPED);
        if (!Files.exists(file)) return null;
        try {
            String[] f = Files.readString(file).strip().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether {@link #compact} would rewrite the log: it is past the cap and not compacted yet. */
    public boolean compacts(JobDirectory dir) throws IOException {
        return sizeOf(dir.log()) > capBytes && !isCompacted(dir);
    }

    /** Whether the log has been compacted: the marker line follows its head. */
    public boolean isCompacted(JobDirectory dir) throws IOException {
        Path log = dir.log();
        if (sizeOf(log) <= capBytes) return false;
        try (FileChannel in = FileChannel.open(log)) {
            return startsWith(in, capBytes, marker(capBytes));
        }
    }

    /**
     * Rewrites the log of an ended program as its head, the marker and the whole lines of its last
     * {@code tailBytes}; a log already in that form, or within the cap, is left alone.
     *
     * @return the log's size afterwards
     */
    public long compact(JobDirectory dir) throws IOException {
        Path log = dir.log();
        long size = sizeOf(log);
        if (size <= capBytes) return size;
        byte[] marker = marker(capBytes);
        try (FileChannel in = FileChannel.open(log)) {
            if (startsWith(in, capBytes, marker)) return size;   // compacted before a restart
            long tailStart = Math.max(capBytes, size - tailBytes);
            byte[] tail = new byte[(int) (size - tailStart)];
            in.read(ByteBuffer.wrap(tail), tailStart);
            int firstNewline = indexOfNewline(tail);
            byte[] wholeLines = firstNewline < 0 ? new byte[0] : Arrays.copyOfRange(tail, firstNewline + 1, tail.length);
            Path tmp = log.resolveSibling(log.getFileName() + ".tmp");
            try (FileChannel out = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), StateFiles.PRIVATE_FILE)) {
                long copied = 0;
                while (copied < capBytes) copied += in.transferTo(copied, capBytes - copied, out);
                if (tail.length > 0) {
                    out.write(ByteBuffer.wrap(marker));
                    out.write(ByteBuffer.wrap(wholeLines));
                }
            }
            Files.move(tmp, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.deleteIfExists(dir.state(DROPPED));
        return sizeOf(log);
    }

    /**
     * Reads up to {@code maxBytes} of a log at {@code offset}, showing the marker line in place of
     * a hole: a read that starts in the hole gets the marker and resumes after the hole.
     */
    public static LogChunk read(JobDirectory dir, long offset, int maxBytes) throws IOException {
        Path log = dir.log();
        long[] hole = hole(dir);
        if (hole != null && offset >= hole[0] && offset < hole[1]) return new LogChunk(marker(hole[0]), hole[1]);
        try (FileChannel channel = FileChannel.open(log)) {
            long end = hole != null && offset < hole[0] ? hole[0] : channel.size();
            if (offset >= end) return new LogChunk(new byte[0], Math.max(offset, 0));
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, end - offset));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) { }
            return new LogChunk(Arrays.copyOf(buffer.array(), buffer.position()), offset + buffer.position());
        } catch (NoSuchFileException e) {
            return new LogChunk(new byte[0], offset);
        }
    }

    private static boolean punchHole(Path log, long offset, long length) {
        try {
            Process p = new ProcessBuilder("fallocate", "--punch-hole", "--offset", Long.toString(offset),
                    "--length", Long.toString(length), log.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0) return true;
            warnOnce("fallocate --punch-hole failed (" + output + ")");
        } catch (IOException e) {
            warnOnce("fallocate cannot run (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static void warnOnce(String why) {
        if (!punchingWorks) return;
        punchingWorks = false;
        LOG.log(System.Logger.Level.WARNING, why + ": logs past their cap keep growing on disk until their "
                + "program ends (then they are cut to the cap and the tail)");
    }

    private static boolean startsWith(FileChannel channel, long at, byte[] expected) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(expected.length);
        while (buffer.hasRemaining() && channel.read(buffer, at + buffer.position()) > 0) { }
        return !buffer.hasRemaining() && Arrays.equals(buffer.array(), expected);
    }

    private static int indexOfNewline(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == '\n') return i;
        return -1;
    }

    private static long sizeOf(Path log) throws IOException {
        try {
            return Files.size(log);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
