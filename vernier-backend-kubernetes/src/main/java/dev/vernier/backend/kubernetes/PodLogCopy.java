package dev.vernier.backend.kubernetes;

import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies a pod's log into its saved log a poll at a time, asking the API server only for what is
 * new. The log is read with {@code timestamps=true} and, once a line has been copied, with
 * {@code sinceTime} set to the whole second of the latest line copied (the API server passes only
 * whole seconds on to the kubelet). The answer then starts with lines already copied: they are the
 * first {@link Position#lines} of it, recognised also by their timestamps being no later than the
 * latest copied, so that a log the kubelet rotated in between (it serves only the current file) is
 * read from its first line rather than cut. Each line's timestamp is dropped from the copy. While
 * the container runs, a last line without its newline waits for the next poll.
 *
 * <p>Where the copy stands is kept in {@link #POSITION} with the saved log's size after it: a server
 * that stopped between appending and recording finds the log longer than recorded and cuts it back,
 * so that no line is copied twice. A log saved before positions were kept is continued by its size.
 *
 * <p>Known limit: a line longer than the container runtime's line limit (16 KiB with containerd)
 * reaches the kubelet in parts, and each part after the first keeps its timestamp inside the copied line.
 */
final class PodLogCopy {
    static final String POSITION = "podlog.position";
    private static final int MAX_TIMESTAMP_BYTES = 64;

    /**
     * How far the copy has come: the saved log's size after it, how many whole lines an answer from
     * {@link #since} starts with that are copied already, and the latest timestamp among them.
     */
    record Position(long savedSize, long lines, Instant latest) {
        static Position read(JobDirectory dir) throws IOException {
            var file = dir.state(POSITION);
            if (!Files.exists(file)) return null;
            String[] f = Files.readString(file).strip().split(" ");
            return new Position(Long.parseLong(f[0]), Long.parseLong(f[1]),
                    Instant.ofEpochSecond(Long.parseLong(f[2]), Long.parseLong(f[3])));
        }

        /** The second the next read starts from: the latest line's, as whole seconds are all the API server passes on. */
        Instant since() {
            return latest.truncatedTo(ChronoUnit.SECONDS);
        }

        void write(JobDirectory dir) throws IOException {
            StateFiles.write(dir.state(POSITION), savedSize + " " + lines + " " + latest.getEpochSecond() + " "
                    + latest.getNano() + "\n");
        }
    }

    private PodLogCopy() {}

    /** The parameters to add to a {@code pods/<name>/log} request for what {@link #copy} expects. */
    static String query(JobDirectory dir) throws IOException {
        Position at = Position.read(dir);
        return "&timestamps=true" + (at == null ? "" : "&sinceTime=" + at.since());
    }

    /**
     * Appends to {@code dir}'s saved log the lines of {@code answer} (read with {@link #query}) that it
     * lacks, without their timestamps; with {@code ended} (the container has exited) a last line
     * without a newline too.
     */
    static void copy(JobDirectory dir, InputStream answer, boolean ended) throws IOException {
        Position at = Position.read(dir);
        try (FileChannel log = FileChannel.open(dir.log(), StandardOpenOption.WRITE)) {
            long size = log.size();
            if (at != null && size > at.savedSize()) log.truncate(size = at.savedSize());   // appended, never recorded
            log.position(size);
            var copy = new Copy(at, at == null ? size : 0, new BufferedOutputStream(Channels.newOutputStream(log), 1 << 16), size);
            copy.read(answer);
            long end = copy.finish(ended);
            log.truncate(end);   // a last line that waits for its newline
            Position now = copy.position(end, at);
            if (now != null) now.write(dir);   // else nothing with a timestamp yet: the next read starts over
        }
    }

    /** One pass over an answer: which lines are new, what they are without timestamps, where the copy ends. */
    private static final class Copy {
        private final long known;
        private final Instant latestCopied;
        private long skipBytes;
        private final OutputStream out;
        private long written;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream(MAX_TIMESTAMP_BYTES);
        private boolean inHead = true;
        private long index;
        private boolean old;
        private Instant lineTime;
        private Instant previous;
        private long lineStart;
        private Instant latest;
        private final Map<Long, Long> linesPerSecond = new TreeMap<>();

        Copy(Position at, long skipBytes, OutputStream out, long start) {
            this.known = at == null ? 0 : at.lines();
            this.latestCopied = at == null ? null : at.latest();
            this.skipBytes = skipBytes;
            this.out = out;
            this.written = start;
            this.lineStart = start;
        }

        void read(InputStream answer) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = answer.read(buffer)) > 0; ) {
                int i = 0;
                while (i < n) {
                    if (inHead) {
                        byte b = buffer[i];
                        Instant time = b == ' ' ? timestamp(head.toString(StandardCharsets.US_ASCII)) : null;
                        if (time != null) {
                            startLine(time);
                            head.reset();
                            i++;
                        } else if (b == ' ' || b == '\n' || head.size() >= MAX_TIMESTAMP_BYTES) {   // no timestamp: all content
                            startLine(null);
                            emit(head.toByteArray(), 0, head.size());
                            head.reset();
                        } else {
                            head.write(b);
                            i++;
                        }
                    } else {
                        int stop = i;
                        while (stop < n && buffer[stop] != '\n') stop++;
                        boolean endOfLine = stop < n;
                        if (endOfLine) stop++;
                        emit(buffer, i, stop - i);
                        i = stop;
                        if (endOfLine) endLine();
                    }
                }
            }
        }

        /** Where the saved log ends: after the last whole line, or after a last partial one when {@code ended}. */
        long finish(boolean ended) throws IOException {
            boolean partial = !inHead || head.size() > 0;
            if (partial && ended) {
                if (inHead) {
                    startLine(null);
                    emit(head.toByteArray(), 0, head.size());
                }
                endLine();
            }
            out.flush();
            return partial && !ended ? lineStart : written;
        }

        /** Where the copy stands after this answer, or null when no line had a timestamp and none was known. */
        Position position(long savedSize, Position before) {
            Instant newest = latest == null ? (before == null ? null : before.latest())
                    : before == null || latest.isAfter(before.latest()) ? latest : before.latest();
            if (newest == null) return null;
            long since = newest.truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
            long lines = 0;
            for (var e : linesPerSecond.entrySet()) if (e.getKey() >= since) lines += e.getValue();
            return new Position(savedSize, lines, newest);
        }

        private void startLine(Instant time) {
            lineTime = time != null ? time : previous;
            index++;
            old = index <= known && lineTime != null && latestCopied != null && !lineTime.isAfter(latestCopied);
            lineStart = written;
            inHead = false;
        }

        private void endLine() {
            if (lineTime != null) {
                linesPerSecond.merge(lineTime.getEpochSecond(), 1L, Long::sum);
                if (latest == null || lineTime.isAfter(latest)) latest = lineTime;
            }
            previous = lineTime;
            lineStart = written;
            inHead = true;
        }

        private void emit(byte[] bytes, int from, int length) throws IOException {
            if (old) return;
            int skipped = (int) Math.min(skipBytes, length);
            skipBytes -= skipped;
            out.write(bytes, from + skipped, length - skipped);
            written += length - skipped;
        }

        private static Instant timestamp(String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
