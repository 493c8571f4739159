package dev.vernier.training.jobdir;

import java.util.List;
import java.util.Objects;

/**
 * The host a program runs on, as SageMaker describes it to the program: its name among the job's
 * hosts ({@code algo-1} ... {@code algo-N}) and what it has.
 */
public record TrainingHost(String name, List<String> hosts, int cpus, int gpus) {
    public TrainingHost {
        Objects.requireNonNull(name, "name");
        hosts = List.copyOf(hosts);
        if (!hosts.contains(name)) throw new IllegalArgumentException(name + " is not one of the hosts " + hosts);
        if (cpus < 1) throw new IllegalArgumentException("cpus must be at least 1");
        if (gpus < 0) throw new IllegalArgumentException("gpus must not be negative");
    }

    /** The only host of a one-instance job, {@code algo-1}. */
    public static TrainingHost single(int cpus, int gpus) {
        return new TrainingHost("algo-1", List.of("algo-1"), cpus, gpus);
    }

    /** {@code algo-1} with this machine's processors and no GPU. */
    public static TrainingHost thisMachine() {
        return single(Runtime.getRuntime().availableProcessors(), 0);
    }
}
