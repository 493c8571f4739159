package dev.vernier.backend.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a job's wrapper in a new session (so in its own process group, out of reach of signals
 * sent to the server's group), in its directory, with stdin from /dev/null and stdout and stderr
 * appended to its log, and no other file descriptor of the server.
 */
interface WrapperLauncher {
    /** A started wrapper: its pid (also its session and process group id) and the moment it has been reaped. */
    record Started(long pid, CompletableFuture<Void> exited) {}

    /**
     * {@code environment} is the wrapper's whole environment: nothing of the server's own reaches
     * it (its secrets among them). The command is looked up on the server's PATH.
     */
    Started start(List<String> command, Path directory, Path log, Map<String, String> environment) throws IOException;

    /** The launcher for this JVM: setting {@code vernier.launcher=processbuilder} forces the portable one. */
    static WrapperLauncher forThisJvm() {
        return Holder.LAUNCHER;
    }

    /** Chooses and checks the launcher in the background, so that neither start-up nor the first job waits for it. */
    static void prepareInBackground() {
        Thread.ofPlatform().daemon().name("vernier-launcher-init").start(WrapperLauncher::forThisJvm);
    }

    /** Chosen once: building the native one looks up a dozen symbols. */
    final class Holder {
        static final WrapperLauncher LAUNCHER = choose();

        private Holder() {}

        private static WrapperLauncher choose() {
            String forced = System.getProperty("vernier.launcher", "");
            if (!forced.equals("processbuilder") && Runtime.version().feature() >= 22) {
                try {
                    // Compiled from src/main/java22 (java.lang.foreign is final since Java 22).
                    WrapperLauncher posix = (WrapperLauncher) Class.forName(
                            "dev.vernier.backend.local.PosixSpawnLauncher").getDeclaredConstructor().newInstance();
                    probe(posix);
                    return posix;
                } catch (Exception | LinkageError e) {
                    System.getLogger(WrapperLauncher.class.getName()).log(System.Logger.Level.INFO,
                            "training jobs start through ProcessBuilder and setsid (posix_spawn unavailable: {0})",
                            String.valueOf(e.getCause() != null ? e.getCause() : e));
                }
            }
            return new ProcessBuilderLauncher();
        }

        /**
         * One real start, so that a sandbox that forbids it is found here rather than by a job, and
         * so that the first job does not pay for linking the native calls (~0.4 s on a 2-core VM).
         */
        private static void probe(WrapperLauncher launcher) throws Exception {
            Started started = launcher.start(java.util.List.of("sh", "-c", "exit 0"), Path.of("/"), Path.of("/dev/null"),
                    Map.of());
            started.exited().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
