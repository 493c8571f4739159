package dev.vernier.training.log;

import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.metrics.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a log's bytes into lines and applies the metric definitions to each, fed in chunks as
 * they arrive from wherever the log is (a file, a pipe, a pod's log stream). A line ends at '\n'
 * or '\r' (progress bars redraw one line with '\r'). Memory is bounded whatever the log: a line
 * longer than {@link #MAX_LINE_BYTES} is skipped, not parsed.
 *
 * <p>Positions are byte offsets in the whole log. {@link #resumeOffset()} and
 * {@link #inLongLine()} are what a later reader needs to go on without reading any line twice or
 * missing one: the start of the line not ended yet, and whether it is being skipped.
 */
public final class LogLines {
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /**
     * Most points of one metric that one reader keeps; past it only the metric's last point is kept.
     * A program that prints a metric on every line of a runaway log would otherwise make millions of
     * points in a poll: each an object, a database row, and work for the stopping rule.
     */
    public static final int MAX_POINTS_PER_METRIC = 1000;

    private final MetricParser parser;
    private final MetricParser.Scanner scanner;
    /** The current line as characters, without copying it, when it is ASCII (most log lines are). */
    private final AsciiLine asciiLine = new AsciiLine();
    private final List<MetricPoint> points = new ArrayList<>();
    private final List<MetricPoint> parsed = new ArrayList<>();
    private final java.util.Map<String, Integer> kept = new java.util.HashMap<>();
    /** Per metric past its cap, its last point, in order of first overflow. */
    private final java.util.Map<String, MetricPoint> lastDropped = new java.util.LinkedHashMap<>();
    private byte[] line = new byte[256];
    private int lineLength;
    private long lineStart;   // log offset of line[0]
    private long position;    // log offset of the next byte fed
    private boolean inLongLine;

    /** Parses from {@code offset}, where an earlier reader left off ({@code inLongLine}: inside a skipped line). */
    public LogLines(MetricParser parser, long offset, boolean inLongLine) {
        this.parser = parser;
        this.scanner = parser.scanner();
        this.lineStart = offset;
        this.position = offset;
        this.inLongLine = inLongLine;
    }

    /** The next {@code length} bytes of the log; points of the lines they end are stamped {@code readAt}. */
    public void feed(byte[] bytes, int length, Instant readAt) {
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            long at = position + i;
            if (b == '\n' || b == '\r') {
                if (!inLongLine) accept(readAt);
                inLongLine = false;
                lineLength = 0;
                lineStart = at + 1;
            } else if (inLongLine) {
                lineStart = at + 1;
            } else if (lineLength == MAX_LINE_BYTES) {
                inLongLine = true;   // give up on this line; skip to its end
                lineLength = 0;
                lineStart = at + 1;
            } else {
                if (lineLength == line.length) line = Arrays.copyOf(line, line.length * 2);
                line[lineLength++] = b;
            }
        }
        position += length;
    }

    /**
     * Gives up on an unended line that already fills {@link #MAX_LINE_BYTES}: its rest is skipped.
     * A reader that reads a budget at a time calls this before stopping, or a budget holding
     * nothing but that line would be read again and again.
     */
    public void skipFullLine() {
        if (lineLength < MAX_LINE_BYTES) return;
        inLongLine = true;
        lineLength = 0;
        lineStart = position;
    }

    /** The log is complete: an unended last line counts as a line. */
    public void end(Instant readAt) {
        if (lineLength > 0 && !inLongLine) accept(readAt);
        inLongLine = false;
        lineLength = 0;
        lineStart = position;
    }

    /** Where a later reader starts: the first byte of the line not ended yet. */
    public long resumeOffset() {
        return lineStart;
    }

    /** Whether the line at {@link #resumeOffset()} is an overlong one being skipped. */
    public boolean inLongLine() {
        return inLongLine;
    }

    /** The offset after the last byte fed. */
    public long position() {
        return position;
    }

    /**
     * The points of every line ended so far, in log order: per metric the first
     * {@link #MAX_POINTS_PER_METRIC}, then its last one.
     */
    public List<MetricPoint> points() {
        if (lastDropped.isEmpty()) return points;
        List<MetricPoint> all = new ArrayList<>(points);
        all.addAll(lastDropped.values());
        return all;
    }

    /**
     * Parses the current line. A runaway log is millions of lines: a String per line (and a matcher per
     * line and definition) made garbage fast enough for the JVM to grow its heap by a gigabyte, so an
     * ASCII line is matched in place and the matchers are reused.
     */
    private void accept(Instant readAt) {
        if (parser.isEmpty()) return;
        boolean ascii = true;
        for (int i = 0; i < lineLength && ascii; i++) ascii = line[i] >= 0;
        parsed.clear();
        scanner.parse(ascii ? asciiLine : new String(line, 0, lineLength, StandardCharsets.UTF_8), readAt, parsed);
        for (MetricPoint p : parsed) {
            if (kept.merge(p.name(), 1, Integer::sum) <= MAX_POINTS_PER_METRIC) points.add(p);
            else lastDropped.put(p.name(), p);
        }
    }

    /** The bytes of the current line, ASCII, read as characters in place. */
    private final class AsciiLine implements CharSequence {
        @Override
        public int length() {
            return lineLength;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= lineLength) throw new IndexOutOfBoundsException(index);
            return (char) line[index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        }
    }
}
