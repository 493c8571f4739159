package dev.vernier.backend.slurm;

import dev.vernier.training.hosts.HostNamespaces;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The batch script of one training job ({@code vernier/job.sh}): it records the Slurm job id in the
 * job directory, then becomes the contract's wrapper with the contract's environment over the few
 * variables sbatch passes on (see {@code SlurmCli}: nothing else of the server's environment, its
 * credentials included, reaches the program).
 */
final class BatchScript {
    static final String FILE = "job.sh";
    static final String JOB_ID = "slurm_job_id";

    private BatchScript() {}

    /**
     * Maps algo-k to the address of node k of the allocation (the order srun's --relative counts in) in the
     * job's hosts file, when the nodes' addresses are distinct and not loopback; otherwise the nodes share one
     * machine, and the loopback addresses written at launch stay (each host binds its own).
     */
    static final String NODE_ADDRESSES = """
            i=0; lines=; addrs=
            for n in $(scontrol show hostnames "$SLURM_JOB_NODELIST"); do
              i=$((i + 1))
              a=$(scontrol show node "$n" | sed -n 's/.*NodeAddr=\\([^ ]*\\).*/\\1/p')
              a=$(getent ahostsv4 "$a" | awk 'NR == 1 { print $1 }')
              lines="$lines$a\talgo-$i
            "; addrs="$addrs$a
            "
            done
            if [ "$i" -gt 0 ] && [ "$(printf %s "$addrs" | grep -v '^127\\.' | sort -u | wc -l)" = "$i" ]; then
              printf '127.0.0.1\\tlocalhost\\n%s' "$lines" > HOSTS_FILE
            fi
            """.replace("HOSTS_FILE", JobDirectory.STATE_DIR + "/" + HostNamespaces.HOSTS_FILE);

    /** @param severalHosts whether the job has several hosts, whose names the script maps to its nodes' addresses */
    static Path write(JobDirectory dir, List<String> wrapperCommand, Map<String, String> environment,
                      boolean severalHosts) throws IOException {
        StringBuilder s = new StringBuilder("#!/bin/sh\n")
                .append("# A Vernier training job: the wrapper records the program's pid and exit code, the log is Slurm's output.\n")
                .append("echo \"$SLURM_JOB_ID\" > ").append(JobDirectory.STATE_DIR).append('/').append(JOB_ID).append('\n')
                .append(severalHosts ? NODE_ADDRESSES : "")
                .append("exec env");
        // env(1) rather than export: SageMaker's names need not be shell identifiers (SM_HP_LEARNING-RATE).
        environment.forEach((name, value) -> s.append(" \\\n  ").append(quote(name + "=" + value)));
        for (String arg : wrapperCommand) s.append(" \\\n  ").append(quote(arg));
        s.append('\n');
        Path file = dir.state(FILE);
        StateFiles.write(file, s.toString());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** One shell word: single quotes, each ' written as '\''. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
