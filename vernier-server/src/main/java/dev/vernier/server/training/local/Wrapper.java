package dev.vernier.server.training.local;

import java.util.ArrayList;
import java.util.List;

/**
 * The tiny shell that supervises one training program, so that the program never depends on
 * the server (DESIGN.md, "Surviving the server's death"): started in a new session by a
 * {@link WrapperLauncher} (its own process group, out of reach of signals sent to the server),
 * stdin from /dev/null, stdout and stderr straight into the log file (opened for appending when
 * the wrapper starts), the exit status into a file.
 *
 * <pre>
 *   sh -c 'echo $$ &gt; vernier/pid; trap : TERM; "$@"; echo $? &gt; vernier/exit_code' … program train
 * </pre>
 *
 * <p>The shell traps TERM with a no-op, so a stop that signals the whole group ends the program
 * (TERM's default action, unless it handles it) while the shell lives on to record its status.
 * The server reads exit_code only once the wrapper is gone, so it is complete by then. There is
 * no pipe and no helper process: on this kind of machine every process costs milliseconds of CPU,
 * and a job's output needs nothing but a file. The log's size cap is kept by the server as it
 * reads the log ({@link LogCap}).
 */
final class Wrapper {
    static final String DIR = "vernier";
    static final String PID = DIR + "/pid";
    static final String EXIT_CODE = DIR + "/exit_code";
    static final String LOG = DIR + "/training.log";

    private static final String SCRIPT = "echo $$ > vernier/pid; trap : TERM; \"$@\"; echo $? > vernier/exit_code";

    private Wrapper() {}

    /** The command line that runs {@code program} (with its prefix, e.g. unshare) under the wrapper. */
    static List<String> command(List<String> program) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", SCRIPT, "vernier-wrapper"));
        cmd.addAll(program);
        return cmd;
    }
}
