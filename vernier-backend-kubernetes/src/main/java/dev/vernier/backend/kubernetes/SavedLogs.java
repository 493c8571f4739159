package dev.vernier.backend.kubernetes;

import dev.vernier.core.training.LogChunk;
import dev.vernier.training.jobdir.JobDirectory;
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

    /**
     * Appends what the pod's log has beyond what is saved: the saved log's length (holes punched
     * by the cap included) is where the pod's log is read on. Nothing once the log is final.
     */
    void append(JobDirectory dir, InputStream podLog) throws IOException {
        if (podLog == null || cap.isCompacted(dir)) return;
        long saved = Files.size(dir.log());
        try (OutputStream out = Files.newOutputStream(dir.log(), StandardOpenOption.APPEND)) {
            podLog.skipNBytes(saved);
            podLog.transferTo(out);
        } catch (java.io.EOFException e) {
            // the pod's log is shorter than what was saved: a new container; nothing to add
        }
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
