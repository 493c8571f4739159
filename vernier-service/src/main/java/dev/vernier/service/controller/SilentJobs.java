package dev.vernier.service.controller;

import dev.vernier.core.metrics.ClosestLine;
import dev.vernier.core.store.Store;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.tuning.TrainingJob;
import java.nio.charset.StandardCharsets;

/**
 * Completes the reason of a tuning job that failed because its training jobs gave no objective
 * with the line of a job's output that looked closest to the objective's regex, read through the
 * backend's log (its first {@value #MAX_BYTES} bytes, so that a huge log costs little).
 */
final class SilentJobs {
    static final int MAX_BYTES = 8 << 20;
    private static final int CHUNK = 1 << 20;
    /** SageMaker's limit on a FailureReason. */
    private static final int MAX_REASON = 1024;

    private SilentJobs() {}

    static String explain(String reason, String trainingJobName, String regex, Store store, TrainingBackend backend) {
        if (trainingJobName == null || regex == null) return reason;
        String added;
        try {
            TrainingJob job = store.trainingJob(trainingJobName).orElse(null);
            if (job == null || job.runHandle() == null) return reason;
            ClosestLine closest = new ClosestLine(regex);
            long offset = 0;
            StringBuilder partial = new StringBuilder();
            while (offset < MAX_BYTES) {
                LogChunk chunk = backend.readLog(job.runHandle(), offset, CHUNK);
                if (chunk.bytes().length == 0) break;
                partial.append(new String(chunk.bytes(), StandardCharsets.UTF_8));
                int end = Math.max(partial.lastIndexOf("\n"), partial.lastIndexOf("\r"));
                if (end >= 0) {
                    partial.substring(0, end).lines().forEach(closest::offer);
                    partial.delete(0, end + 1);
                }
                if (partial.length() > CHUNK) partial.setLength(0);   // an endless line: no candidate
                offset = chunk.nextOffset();
            }
            if (!partial.isEmpty()) closest.offer(partial.toString());
            added = closest.best().map(line -> " The line of its output that looked closest: '" + line + "'.")
                    .orElse(" No line of its output shares a word with the regex.");
        } catch (RuntimeException e) {
            return reason;   // the log is a hint, not needed to fail the tuning job
        }
        String full = reason + added;
        return full.length() <= MAX_REASON ? full : full.substring(0, MAX_REASON);
    }
}
