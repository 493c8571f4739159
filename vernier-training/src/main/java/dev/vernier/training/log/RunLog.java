package dev.vernier.training.log;

import dev.vernier.training.jobdir.JobDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * A run's log, read for metrics at each poll as every backend whose program writes the job
 * directory's log reads it: on from the stored offset (or the kept tail, if far behind), at most a
 * budget of bytes per poll, dropping what the cap allows; after the program's end, the rest, then
 * the cap's compaction.
 */
public final class RunLog {
    private final JobDirectory dir;
    private final LogCap cap;
    private final LogTailer tailer;
    private final int budgetBytes;

    public RunLog(JobDirectory dir, LogCap cap, LogTailer tailer, int budgetBytes) {
        this.dir = dir;
        this.cap = cap;
        this.tailer = tailer;
        this.budgetBytes = budgetBytes;
    }

    /** The next part of the log from {@code offset}; {@code ended}: the program has ended, so a last line without a newline counts. */
    public LogTailer.Progress read(long offset, boolean inLongLine, boolean ended, Instant now) throws IOException {
        LogCap.Position from = cap.skipBacklog(dir.log(), offset, inLongLine, budgetBytes);
        var read = tailer.read(dir.log(), from.offset(), from.inLongLine(), ended, budgetBytes, now);
        cap.dropParsed(dir, read.offset());
        return read;
    }

    /**
     * What a poll after the program's end reads, and whether the run may be finished with it: the
     * whole log has been read, and no point read now waits for a compaction (points reach the store
     * only with this observation, so a log about to be compacted, which moves its tail, is compacted
     * by the next poll, once they are stored: a server that dies in between reads on from a stored
     * offset that still means the same bytes).
     *
     * @param finished the run's result was recorded before (its log is compacted already or never will be)
     */
    public Ending readEnd(long offset, boolean inLongLine, boolean finished, Instant now) throws IOException {
        // a compacted log was compacted after its last points were stored: offsets into it no longer
        // mean what they did, and there is nothing left to read
        var read = cap.isCompacted(dir) ? new LogTailer.Progress(List.of(), Files.size(dir.log()), false, true)
                : read(offset, inLongLine, true, now);
        boolean compactsNext = !finished && !read.points().isEmpty() && cap.compacts(dir);
        return new Ending(read, read.reachedEnd() && !compactsNext);
    }

    /** Compacts the log of a run being finished; the offset to store with it. */
    public long compact() throws IOException {
        return cap.compact(dir);
    }

    /** @param complete the run may be finished with this observation */
    public record Ending(LogTailer.Progress read, boolean complete) {}
}
