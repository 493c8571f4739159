package dev.vernier.server;

import dev.vernier.server.config.Settings;
import dev.vernier.testkit.Programs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** A real server on an ephemeral port with a data directory of its own, and SDK clients for it. */
public final class TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIATESTTESTTESTTEST";
    public static final String SECRET_KEY = "test-secret-key-0123456789abcdefghijklmn";

    private final Path dataDir;
    private final VernierServer server;
    private final SageMakerClient client;

    private TestServer(Path dataDir, VernierServer server) {
        this.dataDir = dataDir;
        this.server = server;
        this.client = client(ACCESS_KEY, SECRET_KEY);
        provideRequestData(dataDir);
    }

    /**
     * The objects that the testkit's requests name as channels (s3://vernier-data/train/ and
     * file:///tmp/vernier-data/validation): Create refuses a channel that matches nothing.
     */
    static void provideRequestData(Path dataDir) {
        // As root, programs run as nobody, who needs search permission above the job directories (test temp dirs are 0700).
        for (Path p = dataDir.toAbsolutePath().getParent(); p != null && p.startsWith("/tmp/"); p = p.getParent())
            p.toFile().setExecutable(true, false);
        try {
            for (Path dir : java.util.List.of(dataDir.resolve("s3/vernier-data/train"), Path.of("/tmp/vernier-data/validation"))) {
                java.nio.file.Files.createDirectories(dir);
                if (!java.nio.file.Files.exists(dir.resolve("data.csv"))) java.nio.file.Files.writeString(dir.resolve("data.csv"), "1,2\n");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Creates an empty file that every training program can append to: as root, programs run as
     * nobody, who can neither reach nor create files in a test's 0700 temporary directory.
     */
    static Path fileEveryProgramCanAppendTo(Path file) {
        for (Path p = file.toAbsolutePath().getParent(); p != null && p.startsWith("/tmp/"); p = p.getParent())
            p.toFile().setExecutable(true, false);
        try {
            java.nio.file.Files.createFile(file);
            java.nio.file.Files.setPosixFilePermissions(file,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));   // not left to the umask
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    public static TestServer start(Path dataDir) {
        return new TestServer(dataDir, Vernier.start(settings(dataDir)));
    }

    /** A server with settings of the test's own (e.g. another database URL). */
    public static TestServer start(Path dataDir, Settings settings) {
        return new TestServer(dataDir, Vernier.start(settings));
    }

    /** A server on another clock (e.g. a {@link MovableClock}). */
    public static TestServer start(Path dataDir, java.time.Clock clock) {
        return new TestServer(dataDir, Vernier.start(settings(dataDir), clock));
    }

    /** A server whose training settings differ from the defaults of {@link #settings}. */
    public static TestServer start(Path dataDir, java.util.function.UnaryOperator<Settings.Training> training) {
        Settings s = settings(dataDir);
        return new TestServer(dataDir, Vernier.start(new Settings(s.bindAddress(), s.port(), s.dataDir(), s.database(),
                s.region(), s.accountId(), s.accessKeyId(), s.secretAccessKey(), s.maxRequestBytes(),
                training.apply(s.training()), s.network(), s.databaseUrl(), s.databasePassword(), s.objectStorage())));
    }

    /** A server with these settings (e.g. {@link #settings} with other {@link Settings.Network} settings). */
    public static TestServer start(Settings settings) {
        return new TestServer(settings.dataDir(), Vernier.start(settings));
    }

    /** Settings of a test server on {@code dataDir}, on the store under test ({@link TestDatabase}). */
    public static Settings settings(Path dataDir) {
        return TestDatabase.on(sqliteSettings(dataDir));
    }

    /** The settings of a test server on SQLite, on the local backend or the one {@link OnSlurm} chooses. */
    private static Settings sqliteSettings(Path dataDir) {
        String images = Stream.of("train", "gbm", "linear", "knn")
                .map(image -> "vernier/" + image + ":latest=" + Programs.path("quadratic.sh"))
                .collect(java.util.stream.Collectors.joining(","));
        String backend = OnSlurm.backend();
        if (backend.equals("slurm")) SlurmJobs.requireCluster();
        return new Settings("127.0.0.1", 0, dataDir, dataDir.resolve("vernier.db"), "us-east-1", "123456789012",
                Optional.of(ACCESS_KEY), Optional.of(SECRET_KEY), 1 << 20,
                new Settings.Training(backend, 8, 1 << 20, java.time.Duration.ofSeconds(2), dataDir.resolve("s3"),
                        java.util.Map.of(backend.equals("slurm") ? "slurm-images" : "images", images)));
    }

    /** Stops this server and starts another on the same data directory. */
    public TestServer restart() {
        client.close();
        server.close();   // training processes keep running, as they do when a server dies
        return start(dataDir);
    }

    public SageMakerClient client() {
        return client;
    }

    public SageMakerClient client(String accessKey, String secretKey) {
        return SageMakerClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public URI endpoint() {
        return URI.create(server.scheme() + "://127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    public VernierServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        client.close();
        server.close();
        killLeftoverTrainingProcesses();
        if (OnSlurm.backend().equals("slurm")) SlurmJobs.cancelUnder(dataDir);
    }

    /**
     * A server that closes leaves its training processes running for the next one to adopt. A
     * test that ends with jobs still running must not leave them writing into a data directory
     * that JUnit is about to delete, so every process group recorded by a wrapper's pid file under
     * the data directory (and still working there) is killed, and awaited.
     */
    private void killLeftoverTrainingProcesses() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.filter(f -> f.endsWith(Path.of("vernier", "pid"))).forEach(f -> readPid(f).ifPresent(pids::add));
        } catch (IOException | UncheckedIOException e) {
            // a directory vanished while walking: whatever it held is not running there any more
        }
        pids.removeIf(pid -> !worksUnder(pid, dataDir));
        for (long pid : pids) shellKill("-s KILL", pid);
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (long pid : pids) {
            while (System.nanoTime() < deadline && shellKill("-0", pid)) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The shell's kill with {@code option} to group {@code pgid}: whether the group had a process to signal. */
    private static boolean shellKill(String option, long pgid) {
        try {
            return new ProcessBuilder("sh", "-c", "kill " + option + " -- -" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean worksUnder(long pid, Path dir) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).startsWith(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
