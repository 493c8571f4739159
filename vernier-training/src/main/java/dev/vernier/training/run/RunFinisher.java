package dev.vernier.training.run;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.training.artifacts.Artifacts;
import dev.vernier.training.checkpoints.CheckpointSync;
import dev.vernier.training.jobdir.HostDirectories;
import dev.vernier.training.jobdir.JobDirectory;
import java.io.IOException;
import java.time.Instant;

/**
 * Decides how an ended run ended, stores its artifacts, and records the result in its directory
 * ({@link ResultFile}). The rule: a run asked to stop is Stopped whatever its exit code
 * (secondary status MaxRuntimeExceeded or Stopped); otherwise exit 0 is Completed and anything
 * else Failed, with its {@link FailureReason}. Completed and Stopped runs get their model.tar.gz
 * and output.tar.gz; Failed ones none. A run whose artifacts cannot be stored is Failed.
 */
public final class RunFinisher {
    private final ObjectStore objectStore;

    public RunFinisher(ObjectStore objectStore) {
        this.objectStore = objectStore;
    }

    /**
     * The last copy of the job's checkpoints (a failed job's too: its retry resumes from them); a
     * job that otherwise succeeded fails when they cannot be stored.
     */
    private RunResult withCheckpointsStored(JobDirectory dir, RunResult result) {
        try {
            var sync = CheckpointSync.of(objectStore, dir);
            if (sync.isPresent()) sync.get().syncNow();
            return result;
        } catch (IOException | RuntimeException e) {
            if (result.status() == Status.FAILED) return result;
            return new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate("ClientError: could not "
                    + "store the checkpoints: " + e.getMessage()), result.exitCode(), null, result.startTime(),
                    result.endTime());
        }
    }

    /**
     * Why the run failed: for a job of several hosts, the reason of the first host that failed (its
     * output/failure, else its exit code and last log lines), naming the host; else the job's own.
     */
    private static String failureReason(JobDirectory dir, Integer exitCode) throws IOException {
        var failed = HostDirectories.failedHost(dir);
        if (failed.isEmpty()) return FailureReason.of(dir, exitCode);
        String name = failed.get().name();
        String reason = FailureReason.of(HostDirectories.of(dir, name), failed.get().exitCode());
        var classed = java.util.regex.Pattern.compile("(\\w+Error): ").matcher(reason);
        return FailureReason.truncate(classed.lookingAt()
                ? classed.group(1) + ": host " + name + ": " + reason.substring(classed.end())
                : "host " + name + ": " + reason);
    }

    /**
     * A job of several hosts fails when one of them does, though the others were then stopped: {@code stop}
     * (a StopTrainingJob, MaxRuntime) counts only when it came before that
     * ({@link HostDirectories#FAILED_HOST} is then not recorded).
     *
     * @param stop  its stop request, or null
     * @param exit  how its program exited, or null when it recorded nothing (then it ended {@code now})
     */
    public RunResult finish(JobDirectory dir, LaunchRecord launch, StopRequest stop, ExitStatus exit, Instant now)
            throws IOException {
        Integer exitCode = exit == null ? null : exit.code();
        Instant end = exit == null ? now : exit.at();
        if (end.isBefore(launch.launchTime())) end = launch.launchTime();
        RunResult result;
        if (HostDirectories.failedHost(dir).isPresent()) stop = null;   // recorded only when no stop came first
        if (stop == null && (exitCode == null || exitCode != 0 || HostDirectories.failedHost(dir).isPresent())) {
            result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, failureReason(dir, exitCode), exitCode,
                    null, launch.launchTime(), end);
        } else {
            Status status = stop == null ? Status.COMPLETED : Status.STOPPED;
            SecondaryStatus secondary = stop == null ? SecondaryStatus.COMPLETED
                    : stop.cause() == StopCause.MAX_RUNTIME_EXCEEDED ? SecondaryStatus.MAX_RUNTIME_EXCEEDED
                    : SecondaryStatus.STOPPED;
            String model = Artifacts.modelUri(launch.outputPrefix());
            try {
                Artifacts.store(objectStore, dir, launch.outputPrefix());
                result = new RunResult(status, secondary, null, exitCode, model, launch.launchTime(), end);
            } catch (IOException | RuntimeException e) {
                result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate("ClientError: "
                        + "could not store the model artifacts at " + model + ": " + e.getMessage()), exitCode, null,
                        launch.launchTime(), end);
            }
        }
        result = withCheckpointsStored(dir, result);
        ResultFile.write(dir, result);
        return result;
    }
}
