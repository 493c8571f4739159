package dev.vernier.backend.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Slurm cluster the tests submit to: the one that {@code deploy/slurm/local-cluster.sh} starts
 * (run by {@code .ci/setup-slurm.sh} in CI), or any cluster this machine's Slurm tools reach. Without
 * one the tests are skipped, except in CI ({@code CI=true}), where they fail. After each test, the
 * Slurm jobs working below the directories given to {@link #cancelAfterEach} are cancelled.
 */
final class SlurmCluster implements BeforeAllCallback, AfterEachCallback {
    private static final List<Path> ROOTS = new ArrayList<>();

    static synchronized void cancelAfterEach(Path root) {
        ROOTS.add(root.toAbsolutePath().normalize());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String problem = problem();
        if (problem == null) return;
        if ("true".equals(System.getenv("CI")))
            throw new AssertionError("no Slurm cluster (" + problem + "); CI must run .ci/setup-slurm.sh first");
        Assumptions.abort("no Slurm cluster (" + problem + "): start one with deploy/slurm/local-cluster.sh");
    }

    private static String problem() {
        try {
            Run r = run("scontrol", "ping");
            return r.exit == 0 && r.out.contains("UP") ? null : "scontrol ping: " + r.out.strip();
        } catch (IOException e) {
            return "scontrol is not installed";
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<Path> roots;
        synchronized (SlurmCluster.class) {
            roots = List.copyOf(ROOTS);
            ROOTS.clear();
        }
        for (String line : run("squeue", "--noheader", "--me", "--format=%i|%Z").out.split("\n")) {
            String[] f = line.strip().split("\\|", 2);
            if (f.length == 2 && roots.stream().anyMatch(Path.of(f[1])::startsWith)) {
                run("scancel", "--full", "--signal=KILL", f[0]);   // a running job at once
                run("scancel", f[0]);   // and one still waiting
            }
        }
    }

    record Run(int exit, String out) {}

    static Run run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            return new Run(p.isAlive() ? -1 : p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
