package dev.vernier.backend.slurm;

import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's own command-line tools, the one place that runs them: {@code sbatch --parsable} to
 * submit, {@code squeue} to see jobs (see {@link QueueListing}),
 * {@code scancel} to signal and cancel. The tools rather than slurmrestd: they are on every
 * submit host, authenticate with munge as the server's user with nothing to configure, and
 * slurmrestd needs a daemon, JWT keys and a per-version OpenAPI plug-in that sites rarely run.
 */
final class SlurmCli {
    private static final long TIMEOUT_SECONDS = 60;
    private static final String GONE = "GONE";
    /** sbatch's errors that a retry can cure: the controller is busy or unreachable. */
    private static final List<String> TRANSIENT = List.of("Unable to contact slurm controller", "timed out",
            "temporarily unable", "Resource temporarily unavailable", "Zero Bytes were transmitted",
            "Communication connection failure", "not available now", "Slurmctld not responding");

    /** A job as squeue shows it: its state (PENDING, RUNNING, COMPLETED, NODE_FAIL...) and the reason it waits or ended. */
    record QueuedJob(long id, String state, String reason, String nodes) {
        /** A job that squeue no longer lists (Slurm forgets ended jobs after MinJobAge). */
        static QueuedJob gone(long id) {
            return new QueuedJob(id, GONE, "None", "");
        }

        boolean isGone() {
            return state.equals(GONE);
        }

        boolean pending() {
            return state.equals("PENDING") || state.startsWith("REQUEUE") || state.equals("RESV_DEL_HOLD");
        }

        boolean ended() {
            return switch (state) {
                case "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL",
                     "OUT_OF_MEMORY", "DEADLINE", "SPECIAL_EXIT", "REVOKED", GONE -> true;
                default -> false;
            };
        }
    }

    private record Result(int exit, String out, String err) {
        String message() {
            return (err.isBlank() ? out : err).strip().replaceAll("\\s*\\n\\s*", "; ");
        }
    }

    /**
     * What sbatch passes on to a job ({@code --export=ALL} of this): the server's PATH, HOME, USER,
     * LOGNAME, LANG and Slurm's own SLURM_* and SBATCH_* variables, nothing else of the server's
     * environment (its credentials included). Not {@code --export=NONE}: that has slurmd run a login
     * shell per job to build the environment, which cost 1.5 s per job here.
     */
    private static final Map<String, String> SUBMIT_ENVIRONMENT = submitEnvironment();

    private static Map<String, String> submitEnvironment() {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (List.of("PATH", "HOME", "USER", "LOGNAME", "LANG").contains(name) || name.startsWith("SLURM_")
                    || name.startsWith("SBATCH_"))
                env.put(name, value);
        });
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Map.copyOf(env);
    }

    /**
     * Submits {@code script} with {@code options}; the Slurm job id.
     *
     * @throws UnsupportedTrainingFeatureException when Slurm refuses the job as it is (never runnable)
     * @throws IllegalStateException when the controller could not be asked (worth retrying)
     */
    long submit(List<String> options, Path script, Path pidFile) {
        // the shell records sbatch's pid before sbatch runs: a server killed meanwhile leaves sbatch running,
        // and the next one must wait for it rather than submit again
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", pidFile.toString(),
                "sbatch", "--parsable", "--export=ALL"));
        cmd.addAll(options);
        cmd.add(script.toString());
        Result r = run(cmd, SUBMIT_ENVIRONMENT);
        if (r.exit != 0) throw refusal(r);
        String id = r.out.strip().split(";", 2)[0];
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("sbatch answered '" + r.out.strip() + "', not a job id");
        }
    }

    /**
     * Asks the controller whether a job with {@code options} could ever run ({@code sbatch --test-only}),
     * without submitting it. Empty when it could, or when the controller could not be asked.
     */
    Optional<String> neverRuns(List<String> options) {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--test-only", "--export=ALL"));
        cmd.addAll(options);
        cmd.add("--wrap=true");
        Result r = run(cmd, SUBMIT_ENVIRONMENT);
        if (r.exit == 0 || isTransient(r)) return Optional.empty();
        return Optional.of(r.message());
    }

    /**
     * The nodes of {@code partition} (of every partition when empty), by name, as sinfo lists them;
     * empty when Slurm could not be asked (a check then refuses nothing for a transient failure of sinfo).
     */
    Map<String, SlurmNodes.Node> nodes(String partition) {
        List<String> cmd = new ArrayList<>(List.of("sinfo", "--noheader", "--Node", "--format=%N|%o|%n"));
        if (!partition.isEmpty()) cmd.add("--partition=" + partition);
        Result r = run(cmd);
        Map<String, SlurmNodes.Node> nodes = new java.util.LinkedHashMap<>();
        if (r.exit != 0) return nodes;
        for (String line : r.out.split("\n")) {
            String[] f = line.strip().split("\\|", 3);
            if (f.length == 3 && !f[0].isEmpty()) nodes.put(f[0], new SlurmNodes.Node(f[1], f[2]));
        }
        return nodes;
    }

    /** This user's jobs as squeue shows them now, by id. */
    Map<Long, QueuedJob> listing() {
        Result r = run(List.of("squeue", "--noheader", "--me", "--states=all", "--format=%i|%T|%r|%N"));
        if (r.exit != 0) throw new IllegalStateException("squeue failed: " + r.message());
        Map<Long, QueuedJob> jobs = new HashMap<>();
        for (String line : r.out.split("\n")) {
            String[] f = line.strip().split("\\|", 4);
            if (f.length < 4) continue;
            try {
                long id = Long.parseLong(f[0]);
                jobs.put(id, new QueuedJob(id, f[1], f[2], f[3]));
            } catch (NumberFormatException e) {
                // an array job's "123_4": not one of ours
            }
        }
        return jobs;
    }

    /** Ids of this user's jobs named {@code name} that work in {@code dir}, as squeue knows them. */
    List<Long> jobsNamed(String name, Path dir) {
        Result r = run(List.of("squeue", "--noheader", "--me", "--states=all", "--name=" + name, "--format=%i|%Z"));
        if (r.exit != 0) throw new IllegalStateException("squeue failed: " + r.message());
        List<Long> ids = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            String[] f = line.strip().split("\\|", 2);
            if (f.length == 2 && Path.of(f[1]).equals(dir)) ids.add(Long.parseLong(f[0]));
        }
        return ids;
    }

    /** {@code scancel --full --signal=<signal>}: to the batch script and everything it started (plain --signal misses the batch shell). */
    void signal(long id, String signal) {
        run(List.of("scancel", "--full", "--signal=" + signal, Long.toString(id)));
    }

    /**
     * {@code scancel --signal=<signal>} without --full: to every step's tasks (the hosts of a job of several) and not
     * to the batch script, whose sruns would take SIGTERM for a cancel of their step and SIGKILL it.
     */
    void signalSteps(long id, String signal) {
        run(List.of("scancel", "--signal=" + signal, Long.toString(id)));
    }

    /** What the supervisor of a job of several hosts runs in the job to signal TERM to every host, as {@link #signalSteps} does. */
    static final String SIGNAL_STEPS_OF_THIS_JOB = "scancel --signal=TERM \"$SLURM_JOB_ID\"";

    /**
     * SIGKILL now to the process group {@code group} (the wrapper's, which the batch script leads)
     * on the job's node, through a step of the job itself ({@code srun --overlap}): scancel turns
     * SIGKILL into a cancel, which sends SIGTERM first and SIGKILL only after the cluster's KillWait.
     */
    void killGroup(long id, long group) {
        run(List.of("srun", "--jobid=" + id, "--overlap", "--nodes=1", "--ntasks=1", "--quiet", "kill", "-KILL", "--",
                "-" + group));
    }

    /** {@code scancel}: ends the job, pending or running (SIGTERM, then SIGKILL after the cluster's KillWait). */
    void cancel(long id) {
        run(List.of("scancel", Long.toString(id)));
    }

    private static UnsupportedTrainingFeatureException refusalOrNull(Result r) {
        return isTransient(r) ? null : new UnsupportedTrainingFeatureException("Slurm refuses the job: " + r.message());
    }

    private static RuntimeException refusal(Result r) {
        RuntimeException refused = refusalOrNull(r);
        return refused != null ? refused : new IllegalStateException("sbatch failed: " + r.message());
    }

    private static boolean isTransient(Result r) {
        String m = r.message();
        return r.exit < 0 || TRANSIENT.stream().anyMatch(m::contains);
    }

    private static Result run(List<String> cmd) {
        return run(cmd, null);
    }

    /** @param environment the command's whole environment, or null for the server's */
    private static Result run(List<String> cmd, Map<String, String> environment) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (environment != null) {
                pb.environment().clear();
                pb.environment().putAll(environment);
            }
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.getFirst() + " (is Slurm's client installed and on "
                    + "the PATH?): " + e.getMessage(), e);
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out, cmd.getFirst() + " timed out after " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out, err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd.getFirst(), e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
