package dev.vernier.training.run;

import java.time.Duration;
import java.time.Instant;

/**
 * SageMaker's time rules for a running program: once MaxRuntimeInSeconds has passed it is asked
 * to stop (SIGTERM), and once a stop request is older than the grace period it is killed
 * (SIGKILL). A backend checks them whenever it observes a run that is still going.
 */
public final class StopDeadlines {
    /** What is due now. */
    public enum Due {
        NOTHING,
        /** Ask the program to stop, with cause MAX_RUNTIME_EXCEEDED. */
        STOP_FOR_MAX_RUNTIME,
        /** Kill what is left of the program. */
        KILL
    }

    private StopDeadlines() {}

    /** @param stop the run's stop request, or null */
    public static Due due(LaunchRecord launch, StopRequest stop, Duration gracePeriod, Instant now) {
        if (stop == null) return now.isBefore(launch.deadline()) ? Due.NOTHING : Due.STOP_FOR_MAX_RUNTIME;
        return now.isBefore(stop.at().plus(gracePeriod)) ? Due.NOTHING : Due.KILL;
    }
}
