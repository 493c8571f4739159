package dev.vernier.server;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class's servers on the Slurm backend: {@code @ExtendWith(OnSlurm.class) class XOnSlurmTest
 * extends XTest {}} runs the end-to-end tests of {@code XTest} again with every {@link TestServer}
 * sending its training jobs to the Slurm cluster (required: see {@link SlurmJobs}). Test classes run
 * one after another in this module, so one switch for all servers does.
 */
final class OnSlurm implements BeforeAllCallback, AfterAllCallback {
    private static volatile String backend = "local";
    private long newestJobBefore;

    static String backend() {
        return backend;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SlurmJobs.requireCluster();
        backend = "slurm";
        newestJobBefore = newestJob();
    }

    /** Fails a class whose servers sent nothing to Slurm: its tests would have checked another backend. */
    @Override
    public void afterAll(ExtensionContext context) {
        backend = "local";
        if (newestJob() <= newestJobBefore)
            throw new AssertionError(context.getDisplayName() + " submitted no Slurm job: its servers did not use Slurm");
    }

    private static long newestJob() {
        try {
            return SlurmJobs.run("squeue", "--noheader", "--states=all", "--format=%i").lines().map(String::strip)
                    .filter(s -> s.matches("\\d+")).mapToLong(Long::parseLong).max().orElse(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
