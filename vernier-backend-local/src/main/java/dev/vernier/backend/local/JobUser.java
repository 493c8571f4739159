package dev.vernier.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who a training program runs as. A server that runs as root runs its programs as the
 * {@code local-run-as} user ({@code nobody} by default) through {@code setpriv}, with no
 * capabilities (also none to regain: empty bounding set, no new privileges), so that neither the
 * program nor what it starts can reach another network namespace, write the server's files or
 * undo its isolation. With {@code local-run-as=server} it keeps root's uid but still no
 * capabilities. A server that does not run as root cannot switch users: programs run as its user,
 * as any process it starts would.
 *
 * <p>The program's directories (input, model, output, checkpoints) and config files are handed to
 * it; the job directory itself stays the server's, writable by the user's group but sticky (1770:
 * the program may create files in its working directory, not rename what is not its own), and the
 * server's own files ({@code vernier/}: log, pid, exit code, results) stay private to the server (0700).
 */
final class JobUser {
    private static final List<String> NO_CAPABILITIES = List.of("--inh-caps=-all", "--ambient-caps=-all",
            "--bounding-set=-all", "--no-new-privs");

    /** The name, or null when programs run as the server's own user with its privileges (a server that is not root). */
    final String name;
    final int uid;
    final int gid;
    final String home;

    private JobUser(String name, int uid, int gid, String home) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.home = home;
    }

    /** The user for the {@code local-run-as} setting on this server. */
    static JobUser of(String runAs) {
        if (serverUid() != 0) return new JobUser(null, -1, -1, System.getenv().getOrDefault("HOME", "/"));
        if (runAs.equals(LocalBackendSettings.SERVER_USER)) return new JobUser("root", 0, 0, "/root");
        String[] entry = passwd(runAs);
        return new JobUser(runAs, Integer.parseInt(entry[2]), Integer.parseInt(entry[3]), entry[5]);
    }

    /** Whether the program runs as another user than the server's. */
    boolean switches() {
        return name != null && uid != 0;
    }

    /** The command prefix that drops to this user with no capabilities; empty when the server is not root. */
    List<String> prefix() {
        if (name == null) return List.of();
        List<String> cmd = new ArrayList<>(List.of("setpriv"));
        if (uid != 0) cmd.addAll(List.of("--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
        cmd.addAll(NO_CAPABILITIES);
        cmd.add("--");
        return cmd;
    }

    /**
     * Hands the program's part of a job directory to the user: the job directory the server's with
     * group {@code gid}, 0750; input, model, output and checkpoints (and all below) the user's.
     * Its ancestors up to {@code jobsRoot}'s parent get search permission for others (o+x), so that
     * the user can reach it; nothing else is readable through them.
     */
    void handOver(Path jobDir, List<Path> programDirs, Path jobsRoot) throws IOException {
        if (!switches()) return;
        UserPrincipalLookupService names = jobDir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = names.lookupPrincipalByName(Integer.toString(uid));
        GroupPrincipal group = names.lookupPrincipalByGroupName(Integer.toString(gid));
        for (Path ancestor : List.of(jobsRoot.getParent(), jobsRoot)) addSearch(ancestor);
        String unreachable = cannotReach(jobsRoot);
        if (unreachable != null) throw new IOException(unreachable);
        PosixFileAttributeView root = Files.getFileAttributeView(jobDir, PosixFileAttributeView.class);
        root.setGroup(group);
        // rwxrwx--T: the program may create files in its working directory, as it may in a container,
        // but the sticky bit keeps it from renaming or removing what is not its own (vernier/).
        Files.setAttribute(jobDir, "unix:mode", 01770);
        for (Path dir : programDirs) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(user);
                    view.setGroup(group);
                }
            }
        }
    }

    /**
     * Why the user cannot reach job directories in {@code jobsRoot}, or null: every directory above
     * the data directory ({@code jobsRoot}'s parent, which {@link #handOver} opens) needs search
     * permission for others.
     */
    String cannotReach(Path jobsRoot) {
        if (!switches()) return null;
        try {
            for (Path a = jobsRoot.getParent().getParent(); a != null; a = a.getParent())
                if (Files.isDirectory(a) && !Files.getPosixFilePermissions(a).contains(PosixFilePermission.OTHERS_EXECUTE))
                    return "the user training programs run as (" + name + ", setting local-run-as) cannot reach the "
                            + "job directories in " + jobsRoot + ": " + a + " has no search permission for others "
                            + "(chmod o+x " + a + ", or choose another data directory)";
        } catch (IOException e) {
            return "cannot check that the training user " + name + " can reach " + jobsRoot + ": " + e.getMessage();
        }
        return null;
    }

    /** Refuses a program file the user cannot execute, saying why. */
    String cannotRun(Path program) {
        if (!switches()) return null;
        try {
            Process p = new ProcessBuilder(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
                    "--", "test", "-x", program.toString())).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) return null;
        } catch (IOException e) {
            return "cannot check whether the training user " + name + " can run " + program + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return "local program " + program + " cannot be run by the user training programs run as (" + name
                + ", setting local-run-as): give it read and execute permission on the program and search "
                + "permission on every directory above it";
    }

    private static void addSearch(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) return;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        if (perms.contains(PosixFilePermission.OTHERS_EXECUTE)) return;
        perms.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(dir, perms);
    }

    static int serverUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The passwd entry of {@code user} (name or number), from getent. */
    static String[] passwd(String user) {
        try {
            Process p = new ProcessBuilder("getent", "passwd", user).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || out.isEmpty())
                throw new IllegalArgumentException("local-run-as: there is no user '" + user + "' on this machine "
                        + "(set local-run-as to an existing user, or to 'server' to keep the server's own user)");
            String[] f = out.lines().findFirst().orElseThrow().split(":", -1);
            if (f.length < 7) throw new IllegalArgumentException("local-run-as: unreadable passwd entry for " + user);
            return f;
        } catch (IOException e) {
            throw new IllegalArgumentException("local-run-as: cannot look up user '" + user + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
