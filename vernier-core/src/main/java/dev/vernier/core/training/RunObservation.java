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
 */
public record RunObservation(RunHandle handle, Phase phase, List<MetricPoint> newPoints, RunResult result,
                             String detail) {
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
    }

    public boolean isTerminal() {
        return phase == Phase.FINISHED || phase == Phase.VANISHED;
    }
}
