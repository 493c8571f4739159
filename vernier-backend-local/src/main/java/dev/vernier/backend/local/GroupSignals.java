package dev.vernier.backend.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Signals whole process groups ({@code kill -s SIG -- -PGID}), which ProcessHandle cannot. One
 * long-lived shell does it with its built-in kill, so a signal costs a line on a pipe rather
 * than a new process; it is restarted if it dies.
 */
final class GroupSignals {
    private static final String LOOP =
            "while read -r sig pgid; do kill -s \"$sig\" -- \"-$pgid\" 2>/dev/null; echo $?; done";
    private static final Pattern SIGNAL_NAME = Pattern.compile("[A-Z]+");
    private static Process shell;
    private static Writer commands;
    private static BufferedReader answers;

    private GroupSignals() {}

    /** Sends {@code signal} (TERM, KILL) to group {@code pgid}; false when the group is empty. */
    static synchronized boolean send(String signal, long pgid) {
        if (!SIGNAL_NAME.matcher(signal).matches() || pgid <= 1) throw new IllegalArgumentException(signal + " " + pgid);
        try {
            if (shell == null || !shell.isAlive()) start();
            commands.write(signal + " " + pgid + "\n");
            commands.flush();
            String answer = answers.readLine();
            if (answer == null) throw new IOException("the signalling shell exited");
            return answer.equals("0");
        } catch (IOException e) {
            shell = null;
            throw new UncheckedIOException("cannot signal process group " + pgid, e);
        }
    }

    private static void start() throws IOException {
        shell = new ProcessBuilder("sh", "-c", LOOP).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        commands = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.US_ASCII);
        answers = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
    }
}
