package dev.vernier.backend.slurm;

import dev.vernier.training.log.LogCap;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Slurm backend.
 *
 * @param jobsRoot         each job runs in {@code <jobsRoot>/<job name>}: a directory that the server and
 *                         every node see at this same path (a shared file system)
 * @param imagePrograms    TrainingImage name → absolute path of the program that stands for it (on every node)
 * @param partition        {@code --partition}, or empty for the cluster's default
 * @param account          {@code --account}, or empty
 * @param qos              {@code --qos}, or empty
 * @param extraOptions     further sbatch options, added to every submission
 * @param instanceTypes    InstanceType → CPUs, memory and GPUs asked of Slurm
 * @param logCapBytes      the head of the output that the log keeps (see {@link LogCap})
 * @param stopGracePeriod  between SIGTERM and SIGKILL
 * @param clock            for launch times, timeouts and metric timestamps
 */
public record SlurmSettings(Path jobsRoot, Map<String, String> imagePrograms, String partition, String account,
                            String qos, List<String> extraOptions, InstanceTypes instanceTypes, long logCapBytes,
                            Duration stopGracePeriod, Clock clock) {
    /** Most log bytes one poll reads. */
    static final int POLL_BUDGET_BYTES = 8 * 1024 * 1024;

    public SlurmSettings {
        jobsRoot = Objects.requireNonNull(jobsRoot, "jobsRoot").toAbsolutePath().normalize();
        imagePrograms = Map.copyOf(imagePrograms);
        partition = partition == null ? "" : partition.strip();
        account = account == null ? "" : account.strip();
        qos = qos == null ? "" : qos.strip();
        extraOptions = List.copyOf(extraOptions);
        Objects.requireNonNull(instanceTypes, "instanceTypes");
        if (logCapBytes < 1024) throw new IllegalArgumentException("logCapBytes must be at least 1024");
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
        Objects.requireNonNull(clock, "clock");
    }
}
