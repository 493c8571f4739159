package dev.vernier.cli;

import dev.vernier.server.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code vernier} as a separate process (this JVM's java binary and class path), with an
 * environment of its own: no AWS settings of the machine, a HOME without ~/.aws, and the test
 * server's key unless a test says otherwise.
 */
final class Cli {
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private final Path workDir;

    private Cli(Path home) {
        this.workDir = home;
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("AWS_") && !k.startsWith("VERNIER_")) env.put(k, v);
        });
        env.put("HOME", home.toString());
        env.put("VERNIER_DATA_DIR", home.resolve("no-data-dir").toString());
    }

    /** A CLI that signs with the test server's key. */
    static Cli withTestKey(Path home) {
        return new Cli(home).env("AWS_ACCESS_KEY_ID", TestServer.ACCESS_KEY).env("AWS_SECRET_ACCESS_KEY", TestServer.SECRET_KEY);
    }

    /** A CLI with no credentials anywhere. */
    static Cli withoutCredentials(Path home) {
        return new Cli(home);
    }

    Cli env(String name, String value) {
        if (value == null) env.remove(name);
        else env.put(name, value);
        return this;
    }

    Result run(String... args) {
        return run(command(args), args);
    }

    /**
     * Runs vernier on a pseudo-terminal of its own (util-linux {@code script}), which reports 0 rows and 0
     * columns as a pty with no size set does; its stdout is what the terminal showed, stderr included.
     */
    Result runInTerminal(String... args) {
        StringBuilder shell = new StringBuilder();
        for (String word : command(args)) shell.append(shell.isEmpty() ? "" : " ").append("'").append(word.replace("'", "'\\''")).append("'");
        return run(List.of("script", "-qefc", shell.toString(), "/dev/null"), args);
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("--enable-native-access=ALL-UNNAMED");
        // as ./vernier does: Guava (under the embedded S3 endpoint) would warn about sun.misc.Unsafe on JDK 23+
        if (Runtime.version().feature() >= 23) command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.vernier.server.cli.Main");
        command.addAll(List.of(args));
        return command;
    }

    private Result run(List<String> command, String... args) {
        return start(command).await(args);
    }

    /** Starts vernier and answers at once, for a test that interrupts it. */
    Running start(String... args) {
        return start(command(args));
    }

    private Running start(List<String> command) {
        try {
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            return new Running(pb.start(), out, err);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A vernier process that has been started. */
    record Running(Process process, Path out, Path err) {
        String stdout() {
            try {
                return Files.readString(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        /**
         * Sends SIGINT, as Ctrl-C on a terminal does, and waits for the process to end. Where this test
         * runs with SIGINT ignored (started in the background without job control), so does the child,
         * whose JVM then leaves SIGINT alone: SIGTERM, which ends it through the same shutdown hooks.
         */
        Result interrupt() {
            try {
                String signal = sigintIgnored() ? "-TERM" : "-INT";
                Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
                if (kill.waitFor() != 0) throw new AssertionError("kill -INT " + process.pid() + " failed");
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return await("(interrupted)");
        }

        /** Exit status of a JVM ended by {@link #interrupt}: 128 + the signal's number. */
        static int interruptedExitCode() {
            return sigintIgnored() ? 143 : 130;
        }

        private static boolean sigintIgnored() {
            try {
                return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                        .anyMatch(l -> (Long.parseLong(l.substring(7).strip(), 16) & 0x2) != 0);
            } catch (IOException e) {
                return false;
            }
        }

        Result await(String... args) {
            try {
                if (!process.waitFor(240, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("vernier " + String.join(" ", args) + " did not finish in 240 s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
