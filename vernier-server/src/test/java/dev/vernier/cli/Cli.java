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
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.vernier.server.cli.Main");
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("vernier " + String.join(" ", args) + " did not finish in 240 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
