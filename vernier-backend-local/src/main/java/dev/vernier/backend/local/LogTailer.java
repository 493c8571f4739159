package dev.vernier.backend.local;

import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.metrics.MetricPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job's log from a byte offset, whole lines only, and feeds each line to the metric
 * parser ('\r' ends a line too, so progress bars do not make one endless line). A partial last
 * line stays unread until its newline arrives (or the program has ended).
 * Memory is bounded whatever the log: at most {@code budgetBytes} are read per call and a line
 * longer than {@link #MAX_LINE_BYTES} is skipped, not parsed.
 */
final class LogTailer {
    static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int READ_BYTES = 64 * 1024;

    record Progress(List<MetricPoint> points, long offset, boolean inLongLine, boolean reachedEnd) {}

    private final MetricParser parser;

    LogTailer(MetricParser parser) {
        this.parser = parser;
    }

    /**
     * @param ended the program has ended and the log will not grow: a last line without newline counts
     */
    Progress read(Path log, long offset, boolean inLongLine, boolean ended, int budgetBytes, Instant readAt)
            throws IOException {
        List<MetricPoint> points = new ArrayList<>();
        if (!Files.exists(log)) return new Progress(points, offset, inLongLine, ended);   // not created yet
        FileChannel channel;
        try {
            channel = FileChannel.open(log, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return new Progress(points, offset, inLongLine, ended);
        }
        try (channel) {
            long size = channel.size();
            long limit = Math.min(size, offset + budgetBytes);
            // no bigger than what there is to read: most polls of a short job's log read a few lines
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(1, Math.min(READ_BYTES, limit - offset)));
            byte[] line = new byte[256];
            int lineLength = 0;
            long lineStart = offset;   // file position of line[0]
            long position = offset;
            while (position < limit) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), limit - position));
                int n = channel.read(buffer, position);
                if (n <= 0) break;
                byte[] bytes = buffer.array();
                for (int i = 0; i < n; i++) {
                    byte b = bytes[i];
                    long at = position + i;
                    if (b == '\n' || b == '\r') {   // '\r' too: progress bars redraw one line with it
                        if (!inLongLine) accept(line, lineLength, readAt, points);
                        inLongLine = false;
                        lineLength = 0;
                        lineStart = at + 1;
                    } else if (inLongLine) {
                        lineStart = at + 1;
                    } else if (lineLength == MAX_LINE_BYTES) {
                        inLongLine = true;   // give up on this line; skip to its newline
                        lineLength = 0;
                        lineStart = at + 1;
                    } else {
                        if (lineLength == line.length) line = java.util.Arrays.copyOf(line, line.length * 2);
                        line[lineLength++] = b;
                    }
                }
                position += n;
            }
            if (lineLength >= MAX_LINE_BYTES) {   // a whole budget of one line: skip it, or the offset never moves
                inLongLine = true;
                lineLength = 0;
                lineStart = position;
            }
            boolean reachedEnd = position >= size;
            if (ended && reachedEnd && lineLength > 0 && !inLongLine) {
                accept(line, lineLength, readAt, points);   // the last line had no newline
                return new Progress(points, position, false, true);
            }
            if (ended && reachedEnd) return new Progress(points, position, false, true);
            return new Progress(points, lineStart, inLongLine, false);
        }
    }

    private void accept(byte[] line, int length, Instant readAt, List<MetricPoint> out) {
        if (parser.isEmpty()) return;
        out.addAll(parser.parse(new String(line, 0, length, StandardCharsets.UTF_8), readAt));
    }
}
