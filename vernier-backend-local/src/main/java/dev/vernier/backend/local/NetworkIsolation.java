package dev.vernier.backend.local;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How to run a program without network on this machine: in a new network namespace with
 * {@code unshare -n} (as root) or {@code unshare -rn} (an unprivileged user namespace mapped to
 * root), whichever works; detected once, by trying.
 */
final class NetworkIsolation {
    private static volatile NetworkIsolation detected;

    /** The command prefix, or null when impossible here. */
    final List<String> prefix;
    /** Why it is impossible, when it is. */
    final String problem;

    private NetworkIsolation(List<String> prefix, String problem) {
        this.prefix = prefix;
        this.problem = problem;
    }

    static NetworkIsolation detect() {
        NetworkIsolation d = detected;
        if (d == null) {
            synchronized (NetworkIsolation.class) {
                if (detected == null) detected = probe();
                d = detected;
            }
        }
        return d;
    }

    private static NetworkIsolation probe() {
        StringBuilder problems = new StringBuilder();
        for (List<String> prefix : List.of(List.of("unshare", "-n", "--"), List.of("unshare", "-rn", "--"))) {
            String outcome = tryRun(prefix);
            if (outcome == null) return new NetworkIsolation(prefix, null);
            problems.append(problems.isEmpty() ? "" : "; ").append(String.join(" ", prefix)).append(": ").append(outcome);
        }
        return new NetworkIsolation(null, "EnableNetworkIsolation is not possible on this server: it needs a new "
                + "network namespace (unshare -n as root, or unshare -rn with unprivileged user namespaces), and "
                + "neither works here (" + problems + ")");
    }

    /** Null when {@code prefix true} succeeds, else what went wrong. */
    private static String tryRun(List<String> prefix) {
        try {
            var cmd = new java.util.ArrayList<>(prefix);
            cmd.add("true");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + (out.isEmpty() ? "" : " (" + out + ")");
        } catch (java.io.IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
