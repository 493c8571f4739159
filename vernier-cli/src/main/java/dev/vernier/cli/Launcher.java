package dev.vernier.cli;

import java.nio.file.Path;

/** How a message should spell the command that runs vernier again. */
public final class Launcher {
    private Launcher() {}

    /** {@code ./vernier} in the repository root, else the launcher script's full path; {@code vernier} when not started by it. */
    public static String command() {
        String home = System.getenv("VERNIER_HOME");
        if (home == null) return "vernier";
        Path script = Path.of(home, "vernier").toAbsolutePath().normalize();
        return script.getParent().equals(Path.of("").toAbsolutePath().normalize()) ? "./vernier" : script.toString();
    }
}
