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
 * @param passEnvironment  names of the server's environment variables that programs also get (see {@link ProgramEnvironment})
 * @param runAs            the user programs run as when the server runs as root; {@link #SERVER_USER} for the server's own
 */
public record LocalBackendSettings(Path jobsRoot, Map<String, String> imagePrograms, long logCapBytes,
                                   long logTailBytes, Duration stopGracePeriod, int pollBudgetBytes, Clock clock,
                                   java.util.List<String> passEnvironment, String runAs) {
    public static final long DEFAULT_LOG_CAP_BYTES = 100L * 1024 * 1024;
    public static final long DEFAULT_LOG_TAIL_BYTES = LogCap.DEFAULT_TAIL_BYTES;
    public static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(120);
    public static final int DEFAULT_POLL_BUDGET_BYTES = 8 * 1024 * 1024;
    public static final String DEFAULT_RUN_AS = "nobody";
    /** The value of {@code runAs} that keeps the server's own user (with no capabilities left, when it is root). */
    public static final String SERVER_USER = "server";

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
        passEnvironment = java.util.List.copyOf(passEnvironment == null ? java.util.List.of() : passEnvironment);
        if (runAs == null || runAs.isBlank()) runAs = DEFAULT_RUN_AS;
    }

    public static LocalBackendSettings defaults(Path jobsRoot) {
        return new LocalBackendSettings(jobsRoot, Map.of(), DEFAULT_LOG_CAP_BYTES, DEFAULT_LOG_TAIL_BYTES,
                DEFAULT_STOP_GRACE_PERIOD, DEFAULT_POLL_BUDGET_BYTES, Clock.systemUTC(), java.util.List.of(), DEFAULT_RUN_AS);
    }

    public LocalBackendSettings withImagePrograms(Map<String, String> programs) {
        return new LocalBackendSettings(jobsRoot, programs, logCapBytes, logTailBytes, stopGracePeriod,
                pollBudgetBytes, clock, passEnvironment, runAs);
    }

    public LocalBackendSettings withLogCap(long capBytes, long tailBytes) {
        return new LocalBackendSettings(jobsRoot, imagePrograms, capBytes, tailBytes, stopGracePeriod,
                pollBudgetBytes, clock, passEnvironment, runAs);
    }

    public LocalBackendSettings withStopGracePeriod(Duration grace) {
        return new LocalBackendSettings(jobsRoot, imagePrograms, logCapBytes, logTailBytes, grace, pollBudgetBytes,
                clock, passEnvironment, runAs);
    }

    public LocalBackendSettings withPollBudget(int bytes) {
        return new LocalBackendSettings(jobsRoot, imagePrograms, logCapBytes, logTailBytes, stopGracePeriod, bytes,
                clock, passEnvironment, runAs);
    }

    public LocalBackendSettings withRunAs(String user) {
        return new LocalBackendSettings(jobsRoot, imagePrograms, logCapBytes, logTailBytes, stopGracePeriod,
                pollBudgetBytes, clock, passEnvironment, user);
    }

    public LocalBackendSettings withPassEnvironment(java.util.List<String> names) {
        return new LocalBackendSettings(jobsRoot, imagePrograms, logCapBytes, logTailBytes, stopGracePeriod,
                pollBudgetBytes, clock, names, runAs);
    }
}
