package dev.vernier.core.training;

import dev.vernier.core.metrics.MetricPoint;
import java.util.List;
import java.util.Objects;

/**
 * One look at a run: where it is, the metric points read since the previous handle's offset,
 * and the handle to store (with the new offset). Store the points and the handle together.
 *
 * @param result  how the run ended, only in phase {@link Phase#FINISHED}
 * @param detail  for {@link Phase#VANISHED}: what was found, for the FailureReason of the retried job
 * @param waiting in phase {@link Phase#RUNNING}, while the program has not started yet: why it waits,
 *                in the words of whatever holds it (a cluster's queue: "Resources", "Priority"); else null
 */
public record RunObservation(RunHandle handle, Phase phase, List<MetricPoint> newPoints, RunResult result,
                             String detail, String waiting) {
    public enum Phase {
        /** The program runs (or has ended and its log is still being read). */
        RUNNING,
        /** A stop was requested and the program has not ended yet. */
        STOPPING,
        /** Ended and its whole log read: {@link #result()} says how. */
        FINISHED,
        /** The process is gone without recording how it ended: an internal error, retry the job. */
        VANISHED
    }

    public RunObservation {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(phase, "phase");
        newPoints = List.copyOf(newPoints);
        if ((phase == Phase.FINISHED) != (result != null))
            throw new IllegalArgumentException("a result comes with FINISHED and only then");
        if (waiting != null && phase != Phase.RUNNING)
            throw new IllegalArgumentException("only a RUNNING run can be waiting to start");
    }

    /** An observation of a run whose program has started (or ended). */
    public RunObservation(RunHandle handle, Phase phase, List<MetricPoint> newPoints, RunResult result, String detail) {
        this(handle, phase, newPoints, result, detail, null);
    }

    public boolean isTerminal() {
        return phase == Phase.FINISHED || phase == Phase.VANISHED;
    }
}
