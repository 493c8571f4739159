package dev.vernier.backend.local;

import dev.vernier.training.log.LogCap;
import dev.vernier.training.log.LogLines;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the local backend.
 *
 * @param jobsRoot         each job runs in {@code <jobsRoot>/<job name>}
 * @param imagePrograms    TrainingImage name → absolute path of the local program that stands for it
 * @param logCapBytes      the head of the output that the log keeps; past it only the last {@code logTailBytes} (see {@link LogCap})
 * @param logTailBytes     how much of the output past the cap is kept
 * @param stopGracePeriod  between SIGTERM and SIGKILL (SageMaker: 120 s)
 * @param pollBudgetBytes  most log bytes one poll reads, so one poll's memory and time are bounded
 * @param clock            for launch times, timeouts and metric timestamps
 */
public record LocalBackendSettings(Path jobsRoot, Map<String, String> imagePrograms, long logCapBytes,
                                   long logTailBytes, Duration stopGracePeriod, int pollBudgetBytes, Clock clock) {
    public static final long DEFAULT_LOG_CAP_BYTES = 100L * 1024 * 1024;
    public static final long DEFAULT_LOG_TAIL_BYTES = LogCap.DEFAULT_TAIL_BYTES;
    public static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(120);
    public static final int DEFAULT_POLL_BUDGET_BYTES = 8 * 1024 * 1024;

    public LocalBackendSettings {
        Objects.requireNonNull(jobsRoot, "jobsRoot");
        jobsRoot = jobsRoot.toAbsolutePath().normalize();
        imagePrograms = Map.copyOf(imagePrograms == null ? Map.of() : imagePrograms);
        if (logCapBytes < 1024) throw new IllegalArgumentException("logCapBytes must be at least 1024");
        if (logTailBytes < 0) throw new IllegalArgumentException("logTailBytes must not be negative");
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
        if (pollBudgetBytes < LogLines.MAX_LINE_BYTES)
            throw new IllegalArgumentException("pollBudgetBytes must be at least " + LogLines.MAX_LINE_BYTES);
        Objects.requireNonNull(clock, "clock");
    }

    public static LocalBackendSettings defaults(Path jobsRoot) {
        return new LocalBackendSettings(jobsRoot, Map.of(), DEFAULT_LOG_CAP_BYTES, DEFAULT_LOG_TAIL_BYTES,
                DEFAULT_STOP_GRACE_PERIOD, DEFAULT_POLL_BUDGET_BYTES, Clock.systemUTC());
    }

    public LocalBackendSettings withImagePrograms(Map<String, String> programs) {
        return new LocalBackendSettings(jobsRoot, programs, logCapBytes, logTailBytes, stopGracePeriod,
                pollBudgetBytes, clock);
    }

    public LocalBackendSettings withLogCap(long capBytes, long tailBytes) {
        return new LocalBackendSettings(jobsRoot, imagePrograms, capBytes, tailBytes, stopGracePeriod,
                pollBudgetBytes, clock);
    }

    public LocalBackendSettings withStopGracePeriod(Duration grace) {
        return new LocalBackendSettings(jobsRoot, imagePrograms, logCapBytes, logTailBytes, grace, pollBudgetBytes,
                clock);
    }

    public LocalBackendSettings withPollBudget(int bytes) {
        return new LocalBackendSettings(jobsRoot, imagePrograms, logCapBytes, logTailBytes, stopGracePeriod, bytes,
                clock);
    }
}
