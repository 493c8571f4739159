package dev.vernier.training.hosts;

import dev.vernier.training.jobdir.HostDirectories;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.run.StopRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hosts of a job of several instances, as processes on this machine (local backend) or one per node
 * of a Slurm allocation, each placed by a prefix ({@code srun --relative=k-1}). Each host runs in a mount and
 * UTS namespace of its own (as root {@code unshare -m -u}, else {@code unshare -r -m -u} where
 * unprivileged user namespaces are allowed; detected once, by trying), in which:
 * <ul>
 *   <li>its host directory ({@code hosts/algo-k}) is bind-mounted on the job's {@code host/}, so that
 *       every host sees its own /opt/ml at the same path (and none sees the others');</li>
 *   <li>the job's hosts file is bind-mounted on /etc/hosts: {@code algo-k} is {@code 127.A.B.k}, an
 *       address of the loopback interface (all of 127/8 is) in a block of the job's own, so the hosts
 *       reach each other by name, and bind to their own address;</li>
 *   <li>its host name is {@code algo-k}.</li>
 * </ul>
 * The hosts share the machine's network namespace: two hosts that listen on the same port of every
 * address (0.0.0.0) collide, as they would not on SageMaker; a host listens on its own name's address.
 *
 * <p>One supervisor runs the hosts ({@link #supervisor}), under the job's one wrapper: the backend
 * watches, stops and re-adopts the job as one process group, as it does a job of one host.
 */
public final class HostNamespaces {
    /** Where each host sees its directory: a mount point in the job directory. */
    public static final String VIEW = "host";
    /** Names each host's variables in the supervisor's environment: {@code VERNIER_HOST_<k>_<NAME>}. */
    /** Hosts are numbered in the last byte of their address. */
    public static final int MAX_HOSTS = 254;
    /** Where a placement prefix has host k's offset (k-1) among the job's nodes. */
    public static final String HOST_OFFSET = "@host-offset@";
    /** The job's hosts file, in its {@code vernier/}. */
    public static final String HOSTS_FILE = "etc-hosts";
    private static final String HOST_VARIABLE = "VERNIER_HOST_";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String BASH = Stream.of("/bin/bash", "/usr/bin/bash")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("bash");

    /**
     * Runs in the host's new namespaces as (namespace) root: {@code name hostsfile source view program...}.
     * The program then drops to the job user (setpriv), if any, itself.
     */
    private static final String HOST = "name=$1 hostsfile=$2 src=$3 view=$4; shift 4\n"
            + "mount --bind \"$hostsfile\" /etc/hosts && mount --bind \"$src\" \"$view\" "
            + "&& { hostname \"$name\" 2>/dev/null || echo \"$name\" > /proc/sys/kernel/hostname; } && cd \"$view\" "
            + "&& exec \"$@\"";

    /**
     * Runs every host, each under a wrapper of its own (its pid and exit code in {@code hosts/algo-k/vernier/})
     * whose output goes, line by line, to the job's log and to the host's own; when a host fails it records
     * the host ({@link HostDirectories#FAILED_HOST}), unless a stop was requested (then the hosts ended
     * because of it), and signals TERM to the whole job (every host, as a
     * stop does); it ends when every host has, with the failed host's exit code, else 0. A host's own log
     * keeps its first {@code cap} bytes (the job's log is capped as a job of one host's is). Arguments:
     * {@code hosts view hostsfile cap hostscript stophosts placementlength placement... prefixlength prefix... program...};
     * in the placement (what runs a host where it belongs, none on this machine) {@value #HOST_OFFSET} is k-1;
     * stophosts is the shell command that signals TERM to every host.
     */
    private static final String SUPERVISOR = """
            n=$1 view=$2 hostsfile=$3 cap=$4 host_script=$5 stop_hosts=$6 pln=$7; shift 7
            place=("${@:1:pln}"); shift "$pln"
            nsn=$1; shift
            ns=("${@:1:nsn}"); shift "$nsn"
            trap : TERM
            for ((k = 1; k <= n; k++)); do
              d=hosts/algo-$k
              (
                trap : TERM
                for v in $(compgen -e); do
                  case $v in VERNIER_HOST_${k}_*) export "${v#VERNIER_HOST_${k}_}=${!v}" ;; esac
                done
                for v in $(compgen -e); do case $v in VERNIER_HOST_*) unset "$v" ;; esac; done
                "${place[@]//HOST_OFFSET/$((k - 1))}" "${ns[@]}" "$BASH" -c "$host_script" vernier-host "algo-$k" "$hostsfile" "$d" "$view" "$@" </dev/null &
                p=$!
                echo "$p" > "$d/vernier/pid"
                while :; do wait "$p"; s=$?; kill -0 "$p" 2>/dev/null || break; done
                echo "$s" > "$d/vernier/exit_code"
              ) 2>&1 | (trap '' TERM; exec awk -v hostlog="$d/vernier/training.log" -v cap="$cap" \\
                '{ print; fflush(); if (n < cap) { print >> hostlog; fflush(hostlog); n += length($0) + 1 } }') &
            done
            failed=0
            while :; do
              wait -n; r=$?
              if [ "$failed" = 0 ]; then
                for ((k = 1; k <= n; k++)); do
                  c=$(cat "hosts/algo-$k/vernier/exit_code" 2>/dev/null)
                  if [ -n "$c" ] && [ "$c" != 0 ]; then
                    failed=$c; [ -e vernier/STOP_FILE ] || echo "algo-$k $c" > vernier/failed_host; eval "$stop_hosts"; break
                  fi
                done
              fi
              [ "$r" = 127 ] && break
            done
            exit "$failed"
            """.replace("STOP_FILE", StopRequest.FILE).replace("HOST_OFFSET", HOST_OFFSET);

    private static volatile HostNamespaces detected;

    /** The prefix that makes a host's namespaces, or null when impossible here. */
    public final List<String> prefix;
    /** Why it is impossible, when it is. */
    public final String problem;

    private HostNamespaces(List<String> prefix, String problem) {
        this.prefix = prefix;
        this.problem = problem;
    }

    public static HostNamespaces detect() {
        HostNamespaces d = detected;
        if (d == null) {
            synchronized (HostNamespaces.class) {
                if (detected == null) detected = probe();
                d = detected;
            }
        }
        return d;
    }

    /** The hosts of a job of {@code count} instances on this machine: interface {@code lo}. */
    public static List<TrainingHost> hosts(int count) {
        return TrainingHost.cluster(count, Runtime.getRuntime().availableProcessors(), 0, "lo");
    }

    /**
     * The command the job's wrapper runs: the supervisor, which runs {@code program} (the job user's
     * prefix and the training program) on every host in its namespaces.
     */
    public List<String> supervisor(JobDirectory job, int hosts, long hostLogCapBytes, List<String> program) {
        return supervisor(job, hosts, hostLogCapBytes, List.of(), "kill -TERM 0", program);
    }

    /**
     * As {@link #supervisor(JobDirectory, int, long, List)}, each host started by {@code placement} (see
     * {@link #HOST_OFFSET}) and stopped, when another fails, by the shell command {@code stopHosts}.
     */
    public List<String> supervisor(JobDirectory job, int hosts, long hostLogCapBytes, List<String> placement,
                                   String stopHosts, List<String> program) {
        List<String> cmd = new ArrayList<>(List.of(BASH, "-c", SUPERVISOR, "vernier-hosts", Integer.toString(hosts),
                job.root().resolve(VIEW).toString(), job.state(HOSTS_FILE).toString(), Long.toString(hostLogCapBytes), HOST,
                stopHosts, Integer.toString(placement.size())));
        cmd.addAll(placement);
        cmd.add(Integer.toString(prefix.size()));
        cmd.addAll(prefix);
        cmd.addAll(program);
        return cmd;
    }

    /**
     * The job's mount point and hosts file: {@code localhost}, then {@code algo-k} at
     * {@code 127.A.B.k}, A and B from the job's directory, so that jobs running at once seldom share addresses.
     */
    public static void prepare(JobDirectory job, List<TrainingHost> hosts) throws IOException {
        Files.createDirectory(job.root().resolve(VIEW), StateFiles.PRIVATE_DIRECTORY);
        StringBuilder text = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        for (TrainingHost host : hosts) text.append(address(job, host.index())).append('\t').append(host.name()).append('\n');
        Path file = job.state(HOSTS_FILE);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        // /etc/hosts is read by everyone: the job user must read the file mounted on it
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    public static String address(JobDirectory job, int index) {
        int h = job.root().toString().hashCode() & 0x7fffffff;
        return "127." + (16 + h % 200) + "." + (h / 200 % 256) + "." + index;
    }

    /**
     * The supervisor's environment from each host's: what every host has alike, and each host's own values
     * (SM_CURRENT_HOST, SM_TRAINING_ENV, ...) as {@code VERNIER_HOST_<k>_<NAME>}, which the supervisor
     * hands to host k only. Paths are alike: every host sees its directory at the same place.
     */
    public static Map<String, String> environment(List<Map<String, String>> perHost) {
        Map<String, String> common = new LinkedHashMap<>();
        Map<String, String> first = perHost.getFirst();
        first.forEach((name, value) -> {
            if (perHost.stream().allMatch(env -> Objects.equals(env.get(name), value))) common.put(name, value);
        });
        for (int k = 0; k < perHost.size(); k++) {
            for (var e : perHost.get(k).entrySet()) {
                if (common.containsKey(e.getKey())) continue;
                if (!IDENTIFIER.matcher(e.getKey()).matches())
                    throw new IllegalStateException("the variable " + e.getKey() + " differs between hosts but is not "
                            + "a shell name");
                common.put(HOST_VARIABLE + (k + 1) + "_" + e.getKey(), e.getValue());
            }
        }
        return common;
    }

    private static HostNamespaces probe() {
        StringBuilder problems = new StringBuilder();
        for (List<String> prefix : List.of(List.of("unshare", "-m", "-u", "--"), List.of("unshare", "-r", "-m", "-u", "--"))) {
            String outcome = tryRun(prefix);
            if (outcome == null) return new HostNamespaces(prefix, null);
            problems.append(problems.isEmpty() ? "" : "; ").append(String.join(" ", prefix)).append(": ").append(outcome);
        }
        return new HostNamespaces(null, "InstanceCount > 1 is not possible on this server: each host needs a mount and "
                + "UTS namespace of its own (unshare -m -u as root, or unshare -r -m -u with unprivileged user "
                + "namespaces), and neither works here (" + problems + ")");
    }

    /** Null when a host's namespaces can be made with {@code prefix} (bind mounts and host name included), else what went wrong. */
    private static String tryRun(List<String> prefix) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("vernier-hosts-probe");
            Path hosts = Files.writeString(scratch.resolve("hosts"), "127.0.0.1\tlocalhost\n");
            Files.createDirectory(scratch.resolve("src"));
            Files.createDirectory(scratch.resolve("view"));
            var cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of(BASH, "-c", HOST, "vernier-host", "algo-1", hosts.toString(),
                    scratch.resolve("src").toString(), scratch.resolve("view").toString(), "true"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + (out.isEmpty() ? "" : " (" + out + ")");
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (scratch != null) {
                try (Stream<Path> left = Files.walk(scratch)) {
                    for (Path p : left.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a temporary directory left behind
                }
            }
        }
    }
}
