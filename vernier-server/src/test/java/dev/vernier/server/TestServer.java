package dev.vernier.server;

import dev.vernier.server.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
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
    }

    public static TestServer start(Path dataDir) {
        return new TestServer(dataDir, Vernier.start(settings(dataDir)));
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
                training.apply(s.training()))));
    }

    public static Settings settings(Path dataDir) {
        return new Settings("127.0.0.1", 0, dataDir, dataDir.resolve("vernier.db"), "us-east-1", "123456789012",
                Optional.of(ACCESS_KEY), Optional.of(SECRET_KEY), 1 << 20,
                new Settings.Training(8, 1 << 20, java.time.Duration.ofSeconds(2), dataDir.resolve("s3"),
                        java.util.Map.of("vernier/train:latest", Programs.path("quadratic.sh").toString(),
                                "vernier/gbm:latest", Programs.path("quadratic.sh").toString(),
                                "vernier/linear:latest", Programs.path("quadratic.sh").toString(),
                                "vernier/knn:latest", Programs.path("quadratic.sh").toString())));
    }

    /** Stops this server and starts another on the same data directory. */
    public TestServer restart() {
        close();
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
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
