package dev.vernier.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Slurm cluster of the end-to-end tests on the Slurm backend (started by
 * {@code deploy/slurm/local-cluster.sh}, in CI by {@code .ci/setup-slurm.sh}): required (a failure
 * in CI, a skip elsewhere), its jobs counted and cancelled.
 */
final class SlurmJobs {
    private SlurmJobs() {}

    static void requireCluster() {
        String out;
        try {
            out = run("scontrol", "ping");
        } catch (IOException e) {
            out = "scontrol is not installed";
        }
        if (out.contains("UP")) return;
        if ("true".equals(System.getenv("CI")))
            throw new AssertionError("no Slurm cluster (" + out.strip() + "); CI must run .ci/setup-slurm.sh first");
        Assumptions.abort("no Slurm cluster (" + out.strip() + "): start one with deploy/slurm/local-cluster.sh");
    }

    /** Slurm job ids of this user's jobs (as slurmctld still remembers them) working below {@code dir}, with their names. */
    static List<String[]> jobsUnder(Path dir) throws IOException {
        List<String[]> jobs = new ArrayList<>();
        for (String line : run("squeue", "--noheader", "--me", "--states=all", "--format=%i|%j|%Z").split("\n")) {
            String[] f = line.strip().split("\\|", 3);
            if (f.length == 3 && Path.of(f[2]).startsWith(dir.toAbsolutePath().normalize())) jobs.add(f);
        }
        return jobs;
    }

    static void cancelUnder(Path dir) {
        try {
            for (String[] job : jobsUnder(dir)) {
                run("scancel", "--full", "--signal=KILL", job[0]);   // a running job at once
                run("scancel", job[0]);   // and one still waiting
            }
        } catch (IOException e) {
            // best effort in a cleanup
        }
    }

    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
