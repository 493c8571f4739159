package dev.vernier.server;

import dev.vernier.server.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * One real server for all the tests of a class, on a data directory of its own:
 * {@code @RegisterExtension static final SharedServer SHARED = new SharedServer();}. It starts
 * before the class's own {@code @BeforeAll} methods and stops after its {@code @AfterAll} ones.
 */
public final class SharedServer implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<Settings.Training> training;
    private Path dataDir;
    private TestServer server;

    public SharedServer() {
        this(null);
    }

    /** A server whose training settings {@code training} makes from the test defaults (e.g. another backend). */
    public SharedServer(UnaryOperator<Settings.Training> training) {
        this.training = training;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("vernier-test-");
        server = training == null ? TestServer.start(dataDir) : TestServer.start(dataDir, training);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();   // also ends the training processes still running, before their directory goes
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    public TestServer server() {
        return server;
    }

    public SageMakerClient client() {
        return server.client();
    }

    public Path dataDir() {
        return dataDir;
    }
}
