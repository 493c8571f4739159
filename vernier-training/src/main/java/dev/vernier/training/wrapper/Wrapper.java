package dev.vernier.training.wrapper;

import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.run.ExitStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tiny shell that supervises one training program, so that the program never depends on the
 * server (DESIGN.md, "Surviving the server's death"): it records its pid, runs the program, and
 * records the program's exit status, all in the job directory.
 *
 * <pre>
 *   sh -c 'echo $$ &gt; vernier/pid; trap : TERM; "$@"; echo $? &gt; vernier/exit_code' … program train
 * </pre>
 *
 * <p>Whoever starts it (a local launcher, sbatch, a container runtime) runs it with the job
 * directory as working directory, stdin from /dev/null and stdout and stderr appended to the
 * job's log ({@link JobDirectory#log()}): no pipe to the server, nothing that breaks when the
 * server dies. The shell traps TERM with a no-op, so a stop that signals the whole process group
 * ends the program (TERM's default action, unless it handles it) while the shell lives on to
 * record its status. The exit_code file is complete once the wrapper is gone.
 */
public final class Wrapper {
    public static final String PID = JobDirectory.WRAPPER_PID;
    public static final String EXIT_CODE = JobDirectory.EXIT_CODE;

    private static final String DIR = JobDirectory.STATE_DIR;
    private static final String SCRIPT = "echo $$ > " + DIR + "/" + PID + "; trap : TERM; \"$@\"; echo $? > "
            + DIR + "/" + EXIT_CODE;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String BASH = Stream.of("/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    private static volatile boolean warnedNoBash;

    private Wrapper() {}

    /**
     * The command line that runs {@code program} (with its prefix, e.g. unshare) under the wrapper.
     * dash, Debian's sh, drops variables whose names are not shell identifiers from the environment
     * of what it runs, and SageMaker's names need not be ({@code SM_HP_LEARNING-RATE},
     * {@code SM_CHANNEL_TRAIN-DATA}); bash passes them on, so a job that has such a name gets bash.
     */
    public static List<String> command(List<String> program, Map<String, String> environment) {
        boolean plainNames = environment.keySet().stream().allMatch(name -> IDENTIFIER.matcher(name).matches());
        String shell = plainNames || BASH == null ? "sh" : BASH;
        if (!plainNames && BASH == null && !warnedNoBash) {
            warnedNoBash = true;
            System.getLogger(Wrapper.class.getName()).log(System.Logger.Level.WARNING, "bash is not installed: "
                    + "environment variables whose names are not shell identifiers will not reach training programs");
        }
        List<String> cmd = new ArrayList<>(List.of(shell, "-c", SCRIPT, "vernier-wrapper"));
        cmd.addAll(program);
        return cmd;
    }

    /** Whether the wrapper has recorded the program's exit status. */
    public static boolean exitRecorded(JobDirectory dir) {
        return Files.exists(dir.state(EXIT_CODE));
    }

    /** The program's exit status and when it was recorded, or null when none was. Read it once the wrapper is gone. */
    public static ExitStatus readExit(JobDirectory dir) throws IOException {
        Path file = dir.state(EXIT_CODE);
        try {
            String text = Files.readString(file).strip();
            return new ExitStatus(parse(text), Files.getLastModifiedTime(file).toInstant());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The pid the wrapper recorded (also its process group and session when started in a new
     * session), or null when it has recorded none.
     *
     * @throws NumberFormatException when the file holds no pid (yet)
     */
    public static Long readPid(JobDirectory dir) throws IOException {
        try {
            return Long.parseLong(Files.readString(dir.state(PID)).strip());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Integer parse(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
