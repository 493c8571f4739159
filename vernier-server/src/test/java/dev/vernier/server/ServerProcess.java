package dev.vernier.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * {@code vernier server} in a process of its own (this JVM's java, the test classpath), so that a
 * test can kill it with SIGKILL. Its stdout and stderr go to {@code <output>}, read for the port.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Vernier is listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;
    private final SageMakerClient client;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.client = SageMakerClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestServer.ACCESS_KEY, TestServer.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Starts a server on a free port over {@code dataDir} and waits until it listens. */
    static ServerProcess start(Path dataDir, Path output, String... extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.vernier.server.cli.Main",
                "server", "--port", "0", "--data-dir", dataDir.toString()));
        cmd.addAll(TestDatabase.serverArgs(dataDir));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("VERNIER_ACCESS_KEY_ID", TestServer.ACCESS_KEY);
        pb.environment().put("VERNIER_SECRET_ACCESS_KEY", TestServer.SECRET_KEY);
        try {
            long before = Files.exists(output) ? Files.size(output) : 0;
            Process p = pb.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                String text = Files.readString(output);
                Matcher m = LISTENING.matcher(text.substring((int) Math.min(before, text.length())));
                if (m.find()) return new ServerProcess(p, Integer.parseInt(m.group(1)));
                if (!p.isAlive()) throw new IllegalStateException("the server exited with " + p.exitValue() + ":\n" + text);
                Thread.sleep(20);
            }
            p.destroyForcibly();
            throw new IllegalStateException("the server did not start within 60 s:\n" + Files.readString(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    SageMakerClient client() {
        return client;
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM: the server shuts down cleanly (gives up its leases); waits until it has exited. */
    void terminate() throws InterruptedException {
        client.close();
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    /** Sends a signal (STOP, CONT) to the server process. */
    void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
        if (exit != 0) throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + exit);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        client.close();
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        client.close();
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
