package dev.vernier.training.jobdir;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The host a program runs on, as SageMaker describes it to the program: its name among the job's
 * hosts ({@code algo-1} ... {@code algo-N}, in that order), what it has, and the network interface
 * on which the hosts reach each other ({@code eth0} in SageMaker's containers).
 */
public record TrainingHost(String name, List<String> hosts, int cpus, int gpus, String networkInterfaceName) {
    public TrainingHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(networkInterfaceName, "networkInterfaceName");
        hosts = List.copyOf(hosts);
        if (!hosts.contains(name)) throw new IllegalArgumentException(name + " is not one of the hosts " + hosts);
        if (cpus < 1) throw new IllegalArgumentException("cpus must be at least 1");
        if (gpus < 0) throw new IllegalArgumentException("gpus must not be negative");
    }

    public TrainingHost(String name, List<String> hosts, int cpus, int gpus) {
        this(name, hosts, cpus, gpus, "eth0");
    }

    /** The only host of a one-instance job, {@code algo-1}. */
    public static TrainingHost single(int cpus, int gpus) {
        return new TrainingHost("algo-1", List.of("algo-1"), cpus, gpus);
    }

    /** {@code algo-1} with this machine's processors and no GPU. */
    public static TrainingHost thisMachine() {
        return single(Runtime.getRuntime().availableProcessors(), 0);
    }

    /**
     * The {@code count} hosts of one job, {@code algo-1} ... {@code algo-<count>}, each with the same
     * resources (SageMaker's one homogeneous instance group).
     */
    public static List<TrainingHost> cluster(int count, int cpus, int gpus, String networkInterfaceName) {
        if (count < 1) throw new IllegalArgumentException("a job has at least one host");
        List<String> names = IntStream.rangeClosed(1, count).mapToObj(TrainingHost::nameOf).toList();
        return names.stream().map(n -> new TrainingHost(n, names, cpus, gpus, networkInterfaceName)).toList();
    }

    /** The name of the {@code index}-th host (1-based): {@code algo-<index>}. */
    public static String nameOf(int index) {
        if (index < 1) throw new IllegalArgumentException("hosts are numbered from 1");
        return "algo-" + index;
    }

    /** This host's place among the job's hosts, from 1 ({@code algo-1}). */
    public int index() {
        return hosts.indexOf(name) + 1;
    }

    /** The host every toolkit takes for the leader: the first ({@code algo-1}). */
    public String masterHostname() {
        return hosts.getFirst();
    }

    /** Whether the job has more hosts than this one. */
    public boolean distributed() {
        return hosts.size() > 1;
    }

    /**
     * The part of {@code items} (in the order SageMaker lists objects: by key) that this host gets
     * from a ShardedByS3Key channel: host k of N gets items k, k+N, k+2N, ... (1-based), so that every
     * item goes to exactly one host. A job with one host gets them all.
     */
    public <T> List<T> shardOf(List<T> items) {
        int n = hosts.size();
        int k = index() - 1;
        return IntStream.range(0, items.size()).filter(i -> i % n == k).mapToObj(items::get).toList();
    }
}
