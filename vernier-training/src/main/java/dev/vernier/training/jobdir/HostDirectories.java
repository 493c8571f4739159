package dev.vernier.training.jobdir;

import dev.vernier.core.training.TrainingJobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories of a job of several hosts: the job's own directory keeps the server's files
 * ({@code vernier/}: the log of every host, the launch record, the result) and each host has a
 * directory of its own laid out like /opt/ml, {@code hosts/algo-k/}, with its own config files and
 * channel shards, and its own {@code vernier/} (its pid, exit code and log). A job of one host has
 * no {@code hosts/}: its directory is its /opt/ml, as always.
 */
public final class HostDirectories {
    static final String HOSTS = "hosts";
    /**
     * Written in the job's {@code vernier/} by whatever notices first that a host failed: that host's name and
     * exit code; not written when a stop was requested before (the hosts then ended because of it), so a
     * recorded failure makes the job Failed, whatever stop comes after it.
     */
    public static final String FAILED_HOST = "failed_host";

    private HostDirectories() {}

    /** The directory of {@code host} in {@code job}. */
    public static JobDirectory of(JobDirectory job, String host) {
        return new JobDirectory(job.root().resolve(HOSTS).resolve(host));
    }

    /**
     * Creates the job's directory (private, with its {@code vernier/} and log) and, in {@code hosts/}
     * (private to the server: a host reaches its own directory only), one directory per host laid out
     * by {@link JobDirectory#create} for that host.
     */
    public static List<JobDirectory> create(JobDirectory job, TrainingJobSpec spec, List<TrainingHost> hosts)
            throws IOException {
        Path root = job.root();
        if (!Files.isDirectory(root.getParent())) Files.createDirectories(root.getParent(), StateFiles.PRIVATE_DIRECTORY);
        Files.createDirectory(root, StateFiles.PRIVATE_DIRECTORY);
        Files.createDirectory(root.resolve(JobDirectory.STATE_DIR), StateFiles.PRIVATE_DIRECTORY);
        StateFiles.writePrivate(job.log(), "");
        Files.createDirectory(root.resolve(HOSTS), StateFiles.PRIVATE_DIRECTORY);
        List<JobDirectory> dirs = new ArrayList<>();
        for (TrainingHost host : hosts) {
            JobDirectory dir = of(job, host.name());
            dir.create(spec, host);
            dirs.add(dir);
        }
        return dirs;
    }

    /** The host directories of a job, algo-1 first; none for a job of one host. */
    public static List<JobDirectory> all(JobDirectory job) {
        List<JobDirectory> dirs = new ArrayList<>();
        for (int k = 1; Files.isDirectory(job.root().resolve(HOSTS).resolve(TrainingHost.nameOf(k))); k++)
            dirs.add(of(job, TrainingHost.nameOf(k)));
        return dirs;
    }

    /** The first host that failed and its exit code, as recorded in {@link #FAILED_HOST}: {@code algo-k <code>}. */
    public record FailedHost(String name, Integer exitCode) {}

    /**
     * Whether the other hosts of a job one host of which failed are still there a grace period after it:
     * its supervisor signalled them TERM then, as a stop does, and they are killed as a stop's are.
     */
    public static boolean outlivedFailure(JobDirectory job, Duration gracePeriod, Instant now) throws IOException {
        if (failedHost(job).isEmpty()) return false;
        Instant failedAt = Files.getLastModifiedTime(job.state(FAILED_HOST)).toInstant();
        return !now.isBefore(failedAt.plus(gracePeriod));
    }

    /** The host recorded as the first that failed, if one was. */
    public static Optional<FailedHost> failedHost(JobDirectory job) throws IOException {
        Path file = job.state(FAILED_HOST);
        if (!Files.isRegularFile(file)) return Optional.empty();
        String[] fields = Files.readString(file).strip().split("\\s+");
        if (!fields[0].matches("algo-[1-9][0-9]*") || !Files.isDirectory(of(job, fields[0]).root())) return Optional.empty();
        Integer code = fields.length > 1 && fields[1].matches("-?[0-9]{1,9}") ? Integer.valueOf(fields[1]) : null;
        return Optional.of(new FailedHost(fields[0], code));
    }
}
