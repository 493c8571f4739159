package dev.vernier.server.training.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The tiny shell that supervises one training program, so that the program never depends on
 * the server: started with {@code setsid} (its own session and process group, out of reach of
 * signals sent to the server), stdin from /dev/null, output into a file, exit status into a file.
 * The server reads exit_code only once the wrapper is gone, so it is always complete by then
 * (no write-and-rename needed: every process the wrapper starts costs launch time).
 *
 * <pre>
 *   wrapper (sh, session leader; traps TERM with a no-op, so it outlives the program and the log)
 *   ├── { program train; echo $? &gt; exit_code }  stdout+stderr into a pipe; this shell traps TERM
 *   │                                           too, so the program's status is recorded; the
 *   │                                           program itself gets TERM's default action
 *   └── { head -c CAP &gt;&gt; log; tail -c TAIL ... } TERM ignored, so a program that logs while
 *                                                  handling SIGTERM never gets SIGPIPE
 * </pre>
 *
 * <p>{@code head} must write each chunk as it arrives (it would otherwise buffer its output until
 * it exits, and the server would see no metric until the end): coreutils' {@code libstdbuf.so} is
 * preloaded into it directly, as {@code stdbuf -o0} would do, which saves starting {@code stdbuf}
 * (the wrapper falls back on {@code stdbuf} where the library is not found). head reads exactly
 * {@code CAP} bytes, so what follows goes to tail untouched.
 *
 * <p>The log cap: the first {@code CAP} bytes of output go to the log as they are written. Past
 * the cap, output is drained but only its last {@code TAIL} bytes are kept (in memory of
 * {@code tail}); when the program ends they are appended after a marker line, minus their first
 * (partial) line. So the disk holds at most CAP + TAIL + ~200 bytes, the program never blocks
 * or dies of a full log, and the final lines (final metrics, the error) survive.
 *
 * <p>Almost every program stays under the cap, so {@code tail} is started only when there is
 * output past it (each process costs milliseconds of CPU on a busy machine). When head returns
 * and exit_code does not exist yet, the program is still running, so head stopped at the cap.
 * When it exists, the program and its shell are done and whatever is left is in the pipe's
 * buffer: the shell's own {@code read} looks for it (reading at most that buffer), and if there
 * is some, the line it read is put back in front of the rest for tail.
 */
final class Wrapper {
    static final String DIR = "vernier";
    static final String PID = DIR + "/pid";
    static final String EXIT_CODE = DIR + "/exit_code";
    static final String LOG = DIR + "/training.log";

    /** coreutils' line-buffering library, as stdbuf would preload it; "" when not found. */
    private static final String STDBUF_LIBRARY = Stream.of("/usr/libexec/coreutils/libstdbuf.so",
                    "/usr/lib/coreutils/libstdbuf.so", "/usr/lib64/coreutils/libstdbuf.so",
                    "/usr/local/libexec/coreutils/libstdbuf.so")
            .filter(p -> Files.isRegularFile(Path.of(p))).findFirst().orElse("");

    private static final String SCRIPT = """
            echo $$ > vernier/pid
            trap : TERM
            cap=$1; tailcap=$2; lib=$3; shift 3
            { trap : TERM; "$@"; echo $? > vernier/exit_code; } 2>&1 </dev/null \
              | { trap '' TERM
                  if [ -n "$lib" ]; then
                    LD_PRELOAD="${LD_PRELOAD:+$LD_PRELOAD:}$lib" _STDBUF_O=0 head -c "$cap"
                  else
                    stdbuf -o0 head -c "$cap"
                  fi >> vernier/training.log
                  nl='\n'; more=
                  if [ ! -e vernier/exit_code ]; then more=running
                  elif IFS= read -r first || { nl=; [ -n "$first" ]; }; then more=read; fi
                  if [ -n "$more" ]; then
                    if [ "$more" = running ]; then tail -c "$tailcap"
                    else { printf "%s$nl" "$first"; cat; } | tail -c "$tailcap"; fi > vernier/log.tail
                    if [ -s vernier/log.tail ]; then
                      printf '\n[vernier] the log reached its cap of %s bytes: output past it is dropped except the last lines, which follow\n' "$cap" >> vernier/training.log
                      sed 1d vernier/log.tail >> vernier/training.log
                    fi
                  fi; }
            """;

    private Wrapper() {}

    /** The command line that runs {@code program} (with its prefix, e.g. unshare) under the wrapper. */
    static List<String> command(List<String> program, long capBytes, long tailBytes) {
        List<String> cmd = new ArrayList<>(List.of("setsid", "sh", "-c", SCRIPT, "vernier-wrapper",
                Long.toString(capBytes), Long.toString(tailBytes), STDBUF_LIBRARY));
        cmd.addAll(program);
        return cmd;
    }
}
