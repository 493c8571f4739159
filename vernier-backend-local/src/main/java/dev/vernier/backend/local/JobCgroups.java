package dev.vernier.backend.local;

import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A cgroup (v2) per training job, so that everything its program starts dies with the job, also
 * what left the job's session and process group ({@code setsid}, a double fork): a process cannot
 * leave its cgroup. The program enters it before it runs ({@link #enter}), and once the job is over
 * the whole cgroup is killed ({@code cgroup.kill}) and removed.
 *
 * <p>Job cgroups are children of the server's own cgroup in the cgroup2 hierarchy (the unified one
 * of a hybrid machine), {@code vernier-<job>-<hash of its directory>}; the path is kept in the job
 * directory ({@code vernier/cgroup}) so that a later server kills the same one. Available when that
 * hierarchy is mounted and the server may create cgroups in it (root, or a delegated cgroup);
 * detected once, by trying.
 */
final class JobCgroups {
    static final String FILE = "cgroup";
    private static final System.Logger LOG = System.getLogger(JobCgroups.class.getName());
    private static volatile JobCgroups detected;
    private static final String BASH = java.util.stream.Stream.of("/bin/bash", "/usr/bin/bash")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("sh");

    /** Where job cgroups are made, or null when they cannot be. */
    final Path parent;
    /** Why not, when they cannot be. */
    final String problem;

    private JobCgroups(Path parent, String problem) {
        this.parent = parent;
        this.problem = problem;
    }

    static JobCgroups detect() {
        JobCgroups d = detected;
        if (d == null) {
            synchronized (JobCgroups.class) {
                if (detected == null) {
                    detected = probe();
                    if (detected.parent == null)
                        LOG.log(System.Logger.Level.WARNING, "no cgroup per training job (" + detected.problem
                                + "): a process that a training program moves out of the job's process group "
                                + "(setsid) can outlive the job");
                }
                d = detected;
            }
        }
        return d;
    }

    boolean available() {
        return parent != null;
    }

    /**
     * The command that enters {@code cgroup} and then runs what follows it: {@code sh -c 'echo $$ >
     * cgroup.procs && exec "$@"'}, so that the program and all it starts are in it from the first instruction.
     */
    static List<String> enter(Path cgroup) {
        // bash where there is one: dash would drop variables whose names are not identifiers (SM_HP_LEARNING-RATE)
        return List.of(BASH, "-c", "echo $$ > \"$1\" && shift && exec \"$@\"", "vernier-cgroup",
                cgroup.resolve("cgroup.procs").toString());
    }

    /** Creates the job's cgroup and records it in its directory; null when cgroups are unavailable. */
    Path create(JobDirectory dir, String jobName) throws IOException {
        if (parent == null) return null;
        Path cgroup = parent.resolve("vernier-" + jobName + "-" + hash(dir.root().toString()));
        if (!Files.isDirectory(cgroup)) Files.createDirectory(cgroup);
        StateFiles.write(dir.state(FILE), cgroup + "\n");
        return cgroup;
    }

    /**
     * Where there are no cgroups but the server is root, the program runs in a PID namespace of its
     * own under a shell that is its init: when that shell ends (the program has ended, or was
     * stopped), the kernel kills whatever else is left in the namespace, also what left the job's
     * session. The shell ignores SIGTERM as an init does, the program is an ordinary process that
     * gets it with its process group. Not for a server that is not root: the program would need a
     * user namespace, where it would see itself as root.
     */
    static List<String> ownPidNamespace() {
        return List.of("unshare", "--pid", "--fork", "--kill-child", "--", BASH, "-c", "\"$@\"; exit $?",
                "vernier-init");
    }

    /** Makes cgroups unavailable (or detected again, with null), for tests of what happens without them. */
    static void overrideForTests(String problem) {
        detected = problem == null ? null : new JobCgroups(null, problem);
    }

    /** Kills every process in the job's cgroup, if it has one, and removes it once empty. */
    static void killAndRemove(JobDirectory dir) {
        Path cgroup;
        try {
            cgroup = Path.of(Files.readString(dir.state(FILE)).strip());
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the cgroup of " + dir + ": " + e.getMessage());
            return;
        }
        if (!Files.isDirectory(cgroup)) return;
        try {
            kill(cgroup);
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (populated(cgroup) && System.nanoTime() < deadline) Thread.sleep(5);
            Files.deleteIfExists(cgroup);   // rmdir; fails while a process is left, then the next poll tries again
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot empty the cgroup " + cgroup + " of " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** cgroup.kill (Linux 5.14+), else SIGKILL to each process it lists. */
    private static void kill(Path cgroup) throws IOException {
        Path killFile = cgroup.resolve("cgroup.kill");
        if (Files.exists(killFile)) {
            Files.writeString(killFile, "1");
            return;
        }
        for (int round = 0; round < 10; round++) {   // processes may fork meanwhile: until none is listed
            List<String> pids = Files.readAllLines(cgroup.resolve("cgroup.procs"));
            if (pids.isEmpty()) return;
            for (String pid : pids) ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean populated(Path cgroup) throws IOException {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.events")).contains("populated 1");
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static JobCgroups probe() {
        try {
            Path mount = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                int dash = line.indexOf(" - ");
                if (dash < 0 || !line.substring(dash + 3).startsWith("cgroup2 ")) continue;
                mount = Path.of(line.split(" ")[4]);
                break;
            }
            if (mount == null) return new JobCgroups(null, "no cgroup2 hierarchy is mounted");
            String own = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup")))
                if (line.startsWith("0::")) own = line.substring(3);
            if (own == null) return new JobCgroups(null, "this process is in no cgroup2 cgroup");
            Path parent = Path.of(mount + (own.equals("/") ? "" : own)).normalize();
            Path probe = parent.resolve("vernier-probe-" + ProcessHandle.current().pid());
            try {
                Files.createDirectory(probe);
                if (!Files.exists(probe.resolve("cgroup.procs"))) return new JobCgroups(null, parent + " is not a cgroup");
            } finally {
                Files.deleteIfExists(probe);
            }
            return new JobCgroups(parent, null);
        } catch (IOException | RuntimeException e) {
            return new JobCgroups(null, "cannot create cgroups: " + e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
