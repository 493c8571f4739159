package dev.vernier.backend.slurm;

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

    static Path write(JobDirectory dir, List<String> wrapperCommand, Map<String, String> environment) throws IOException {
        StringBuilder s = new StringBuilder("#!/bin/sh\n")
                .append("# A Vernier training job: the wrapper records the program's pid and exit code, the log is Slurm's output.\n")
                .append("echo \"$SLURM_JOB_ID\" > ").append(JobDirectory.STATE_DIR).append('/').append(JOB_ID).append('\n')
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
