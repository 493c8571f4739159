package dev.vernier.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Whether standard output is a terminal, and how wide it is. */
public final class Terminal {
    private Terminal() {}

    /** True when stdin and stdout are a terminal (Console.isTerminal on JDK 22+, where console() is never null). */
    public static boolean isTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: console() is null unless interactive
        }
    }

    static final int DEFAULT_WIDTH = 80;
    private static volatile int cachedWidth;
    private static volatile long cachedAt;

    /** Columns of the terminal; 80, as the AWS CLI assumes, when it cannot be told. Asked at most once a second. */
    public static int width() {
        long now = System.nanoTime();
        if (cachedWidth > 0 && now - cachedAt < 1_000_000_000L) return cachedWidth;
        cachedWidth = askWidth();
        cachedAt = now;
        return cachedWidth;
    }

    private static int askWidth() {
        Integer columns = columns(System.getenv("COLUMNS"));
        if (columns != null) return columns;
        if (!isTerminal()) return DEFAULT_WIDTH;
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            stty.waitFor(2, TimeUnit.SECONDS);
            String[] parts = out.split("\\s+");
            if (parts.length == 2) columns = columns(parts[1]);
        } catch (IOException e) {
            // fall through to the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return columns != null ? columns : DEFAULT_WIDTH;
    }

    /**
     * A column count as COLUMNS or {@code stty size} gives it; null when it says nothing: not a number,
     * or 0, which a terminal with no size set reports (a pty under script, docker exec, some CI runners).
     */
    static Integer columns(String text) {
        if (text == null || !text.strip().matches("[0-9]{1,6}")) return null;
        int columns = Integer.parseInt(text.strip());
        return columns > 0 ? columns : null;
    }
}
