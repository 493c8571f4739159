package dev.vernier.training.run;

import dev.vernier.training.jobdir.JobDirectory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * SageMaker's FailureReason of a failed program: the text of its {@code output/failure}, first
 * 1024 characters; without one, "AlgorithmError: ..." with its exit code and as many of its last
 * log lines (up to 10) as fit in 1024 characters.
 */
public final class FailureReason {
    /** SageMaker's limit on FailureReason. */
    public static final int MAX_CHARS = 1024;
    private static final int LAST_LOG_LINES = 10;

    private FailureReason() {}

    /** The reason of a failed run whose files are in {@code dir}; its log is {@link JobDirectory#log()}. */
    public static String of(JobDirectory dir, Integer exitCode) throws IOException {
        Path failure = dir.failureFile();
        // Not through a symbolic link: a program must not make the server read a file for it (as root, /etc/shadow).
        boolean own = Files.isRegularFile(failure, LinkOption.NOFOLLOW_LINKS)
                && dev.vernier.training.artifacts.Artifacts.ownDirectory(dir, dir.output()).equals(dir.output());
        String text = own ? readHead(failure, MAX_CHARS * 4) : null;
        return of(text, exitCode, lastLines(dir.log()));
    }

    /**
     * @param failureText   the program's output/failure, or null
     * @param exitCode      its exit status, or null when none was recorded
     * @param lastLogLines  the last non-blank lines of its log, oldest first
     */
    public static String of(String failureText, Integer exitCode, List<String> lastLogLines) {
        if (failureText != null && !failureText.isBlank()) return truncate(failureText.strip());
        String head = exitCode == null
                ? "AlgorithmError: the training program ended without recording an exit code"
                : "AlgorithmError: the training program exited with code " + exitCode
                  + (exitCode > 128 && exitCode < 160 ? " (killed by signal " + (exitCode - 128) + ")" : "");
        List<String> lines = lastLogLines.subList(Math.max(0, lastLogLines.size() - LAST_LOG_LINES), lastLogLines.size());
        if (lines.isEmpty()) return head;
        head += ". Last log lines:";
        StringBuilder tail = new StringBuilder();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (head.length() + tail.length() + 1 + lines.get(i).length() > MAX_CHARS) break;
            tail.insert(0, "\n" + lines.get(i));
        }
        return truncate(head + tail);
    }

    public static String truncate(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS);
    }

    /** The last non-blank lines in the last 4 KiB of {@code log}. */
    static List<String> lastLines(Path log) throws IOException {
        if (!Files.exists(log)) return List.of();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - 4096);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            List<String> lines = Arrays.stream(new String(bytes, StandardCharsets.UTF_8).split("\n"))
                    .map(String::stripTrailing).filter(l -> !l.isBlank()).toList();
            if (start > 0 && !lines.isEmpty()) lines = lines.subList(1, lines.size());   // the first one is cut
            return lines.subList(Math.max(0, lines.size() - LAST_LOG_LINES), lines.size());
        }
    }

    private static String readHead(Path file, int maxBytes) throws IOException {
        try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
        }
    }
}
