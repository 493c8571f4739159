package dev.vernier.backend.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    static List<String> command(List<String> program, Map<String, String> environment) {
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
}
