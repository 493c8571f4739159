package dev.vernier.training.log;

import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.metrics.MetricPoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * Reads a job's log on from a byte offset, at most a budget at a time, and parses its whole
 * lines for metrics ({@link LogLines}). The offset it returns is where the next read starts; a
 * backend stores it in its handle, so that a new server reads on without losing or repeating a
 * line. A partial last line waits for its newline, unless the program has ended.
 */
public final class LogTailer {
    private static final int READ_BYTES = 64 * 1024;

    /**
     * @param offset      where the next read starts
     * @param reachedEnd  the program had ended and its whole log has been read
     */
    public record Progress(List<MetricPoint> points, long offset, boolean inLongLine, boolean reachedEnd) {}

    private final MetricParser parser;

    public LogTailer(MetricParser parser) {
        this.parser = parser;
    }

    /**
     * Reads a log file (which may not exist yet).
     *
     * @param ended  the program has ended and the log will not grow: a last line without newline counts
     */
    public Progress read(Path log, long offset, boolean inLongLine, boolean ended, int budgetBytes, Instant readAt)
            throws IOException {
        if (!Files.exists(log)) return new Progress(List.of(), offset, inLongLine, ended);   // not created yet
        FileChannel channel;
        try {
            channel = FileChannel.open(log, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return new Progress(List.of(), offset, inLongLine, ended);
        }
        try (channel) {
            long size = channel.size();
            long limit = Math.min(size, offset + budgetBytes);
            // no bigger than what there is to read: most polls of a short job's log read a few lines
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(1, Math.min(READ_BYTES, limit - offset)));
            LogLines lines = new LogLines(parser, offset, inLongLine);
            long position = offset;
            while (position < limit) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), limit - position));
                int n = channel.read(buffer, position);
                if (n <= 0) break;
                lines.feed(buffer.array(), n, readAt);
                position += n;
            }
            return progress(lines, ended, position >= size, readAt);
        }
    }

    /**
     * Reads a log from a stream that starts at {@code offset} (a pod's log skipped to it, say)
     * until the stream ends or the budget is spent. The stream's end is the end of the log so far.
     */
    public Progress read(InputStream log, long offset, boolean inLongLine, boolean ended, int budgetBytes,
                         Instant readAt) throws IOException {
        LogLines lines = new LogLines(parser, offset, inLongLine);
        byte[] buffer = new byte[Math.min(READ_BYTES, Math.max(1, budgetBytes))];
        long read = 0;
        boolean endOfStream = false;
        while (read < budgetBytes) {
            int n = log.read(buffer, 0, (int) Math.min(buffer.length, budgetBytes - read));
            if (n < 0) {
                endOfStream = true;
                break;
            }
            lines.feed(buffer, n, readAt);
            read += n;
        }
        return progress(lines, ended, endOfStream, readAt);
    }

    private static Progress progress(LogLines lines, boolean ended, boolean reachedEnd, Instant readAt) {
        lines.skipFullLine();
        if (ended && reachedEnd) {
            lines.end(readAt);
            return new Progress(lines.points(), lines.position(), false, true);
        }
        return new Progress(lines.points(), lines.resumeOffset(), lines.inLongLine(), false);
    }
}
