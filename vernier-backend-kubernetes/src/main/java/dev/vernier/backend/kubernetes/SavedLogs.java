package dev.vernier.backend.kubernetes;

import dev.vernier.core.training.LogChunk;
import dev.vernier.training.jobdir.HostDirectories;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import dev.vernier.training.log.LogLines;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import dev.vernier.training.log.LogCap;
import dev.vernier.training.log.LogTailer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * What Vernier keeps of each run's log, below {@code <data-dir>/kubernetes/<job>/<launch time in ms>/}
 * (one directory per attempt, so that a retried job starts its log afresh): the pod's log as read so
 * far, parsed for metrics and kept within {@code training-log-cap-bytes} as the local backend keeps
 * its logs ({@link LogCap}: the head, a marker, the tail), since the pod and its log go with the Job.
 */
final class SavedLogs {
    private static final int POLL_BUDGET_BYTES = 1 << 20;
    /** How far each host's log has been copied into the run's: "size copied1 copied2 ...", in the run's vernier/. */
    static final String MERGED = "hosts.merged";

    private final Path runs;
    private final LogCap cap;

    SavedLogs(Path runs, long capBytes) {
        this.runs = runs;
        this.cap = new LogCap(capBytes, LogCap.DEFAULT_TAIL_BYTES);
    }

    /** The run's directory, made with its state directory and an empty log if need be. */
    JobDirectory directory(KubernetesRun run) throws IOException {
        JobDirectory dir = directoryOf(run);
        Files.createDirectories(dir.log().getParent());
        Files.createDirectories(dir.output());
        if (!Files.exists(dir.log())) Files.createFile(dir.log());
        return dir;
    }

    private JobDirectory directoryOf(KubernetesRun run) {
        return new JobDirectory(runs.resolve(run.job()).resolve(Long.toString(run.launchTime().toEpochMilli())));
    }

    /** The saved files of host {@code name} of a run of several: its pod's log and termination message. */
    JobDirectory host(JobDirectory run, String name) throws IOException {
        JobDirectory dir = HostDirectories.of(run, name);
        Files.createDirectories(dir.log().getParent());
        Files.createDirectories(dir.output());
        if (!Files.exists(dir.log())) Files.createFile(dir.log());
        return dir;
    }

    /**
     * A run of several hosts: copies the whole lines that each host's saved log has beyond what was
     * copied before into the run's log, so that it holds every host's lines, whole lines interleaved,
     * as on the local backend; with {@code ended}, a host's last line is copied too, ended with a
     * newline if it had none. A line that fills a poll's budget, or is longer than a line metrics are
     * parsed from, is copied as far as it goes. How far each host's log has been copied, and the
     * run's log's size after, are recorded in {@link #MERGED} after each copy: a server that stopped
     * in between finds the run's log longer than recorded, cuts it back and copies the same lines
     * again. The hosts' logs keep their head and tail within the cap as the run's log does.
     */
    void merge(JobDirectory dir, List<String> hosts, boolean ended) throws IOException {
        if (cap.isCompacted(dir)) return;
        Path state = dir.state(MERGED);
        long[] copied = new long[hosts.size()];
        long size = 0;
        if (Files.exists(state)) {
            String[] fields = Files.readString(state).strip().split(" ");
            size = Long.parseLong(fields[0]);
            for (int k = 0; k < copied.length && k + 1 < fields.length; k++) copied[k] = Long.parseLong(fields[k + 1]);
        }
        long actual = Files.size(dir.log());
        if (actual < size) return;   // not this state's log
        if (actual > size)
            try (FileChannel log = FileChannel.open(dir.log(), StandardOpenOption.WRITE)) {
                log.truncate(size);
            }
        boolean changed = false;
        try (OutputStream out = Files.newOutputStream(dir.log(), StandardOpenOption.APPEND)) {
            for (int k = 0; k < copied.length; k++) {
                JobDirectory host = HostDirectories.of(dir, hosts.get(k));
                if (!Files.exists(host.log())) continue;
                byte[] bytes;
                long end;
                try (FileChannel in = FileChannel.open(host.log())) {
                    end = in.size();
                    if (end <= copied[k]) continue;
                    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(end - copied[k], POLL_BUDGET_BYTES));
                    while (buffer.hasRemaining() && in.read(buffer, copied[k] + buffer.position()) > 0) { }
                    bytes = java.util.Arrays.copyOf(buffer.array(), buffer.position());
                }
                int cut = bytes.length;
                while (cut > 0 && bytes[cut - 1] != '\n' && bytes[cut - 1] != '\r') cut--;
                boolean all = copied[k] + bytes.length == end;
                boolean last = ended && all;
                if (cut == 0 && (last || bytes.length >= LogLines.MAX_LINE_BYTES)) cut = bytes.length;
                if (last) cut = bytes.length;
                if (cut == 0) continue;
                out.write(bytes, 0, cut);
                size += cut;
                if (last && bytes[cut - 1] != '\n' && bytes[cut - 1] != '\r') {
                    out.write('\n');
                    size++;
                }
                copied[k] += cut;
                changed = true;
            }
        }
        if (!changed && Files.exists(state)) return;
        StringBuilder text = new StringBuilder(Long.toString(size));
        for (long c : copied) text.append(' ').append(c);
        StateFiles.write(state, text.append('\n').toString());
        for (int k = 0; k < copied.length; k++) cap.dropParsed(HostDirectories.of(dir, hosts.get(k)), copied[k]);
    }

    /** The hosts' own logs as head, marker and tail, once the run has ended and every line has been copied. */
    void compactHosts(JobDirectory dir, List<String> hosts) throws IOException {
        for (String name : hosts) {
            JobDirectory host = HostDirectories.of(dir, name);
            if (Files.exists(host.log())) cap.compact(host);
        }
    }

    /** The parameters of the next read of the pod's log into {@code dir}: see {@link PodLogCopy}. */
    String query(JobDirectory dir) throws IOException {
        return PodLogCopy.query(dir);
    }

    /**
     * Appends what the pod's log, read with {@link #query}, has beyond what is saved ({@link PodLogCopy});
     * with {@code ended} (its container has exited) a last line without a newline too. Nothing once the log is final.
     */
    void append(JobDirectory dir, InputStream podLog, boolean ended) throws IOException {
        if (podLog == null || cap.isCompacted(dir)) return;
        PodLogCopy.copy(dir, podLog, ended);
    }

    /**
     * Parses the saved log from where the last poll stopped (or from the kept tail when far behind),
     * then drops what the cap allows. A compacted log has been read to its end.
     */
    LogTailer.Progress parse(JobDirectory dir, LogTailer tailer, KubernetesRun run, boolean ended, Instant now)
            throws IOException {
        if (cap.isCompacted(dir)) return new LogTailer.Progress(List.of(), Files.size(dir.log()), false, true);
        LogCap.Position from = cap.skipBacklog(dir.log(), run.logOffset(), run.inLongLine(), POLL_BUDGET_BYTES);
        var read = tailer.read(dir.log(), from.offset(), from.inLongLine(), ended, POLL_BUDGET_BYTES, now);
        cap.dropParsed(dir, read.offset());
        return read;
    }

    /** Whether {@link #compact} would rewrite the log (and so move offsets into it). */
    boolean compacts(JobDirectory dir) throws IOException {
        return cap.compacts(dir);
    }

    /** The ended run's log as head, marker and tail; its size afterwards. */
    long compact(JobDirectory dir) throws IOException {
        return cap.compact(dir);
    }

    LogChunk read(KubernetesRun run, long offset, int maxBytes) throws IOException {
        return LogCap.read(directoryOf(run), offset, maxBytes);
    }
}
