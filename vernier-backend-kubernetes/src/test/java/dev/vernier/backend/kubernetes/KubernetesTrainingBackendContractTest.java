package dev.vernier.backend.kubernetes;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.objectstore.s3.S3ObjectStore;
import dev.vernier.objectstore.s3.S3ProtocolServer;
import dev.vernier.objectstore.s3.S3Settings;
import dev.vernier.testkit.Programs;
import dev.vernier.testkit.training.JobSpecBuilder;
import dev.vernier.testkit.training.TrainingBackendContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodDescriptor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeEach;

/**
 * The training-backend contract, run against the kubernetes backend as the server makes it, on
 * fabric8's mock API server with {@link Kubelet} running each pod's containers as the pod spec says:
 * the training image's program, and Vernier's own pod tasks (staging channels in an init container,
 * uploading artifacts from a sidecar) through a real S3 endpoint (the directory store served by S3Proxy).
 */
@TestMethodOrder(KubernetesTrainingBackendContractTest.PodWatchLast.class)
class KubernetesTrainingBackendContractTest extends TrainingBackendContract {
    static final String VERNIER_IMAGE = "registry.example/vernier:test";
    private static final String KEY = "contract-key";
    private static final String SECRET = "contract-secret";

    // A cluster per test (a backend's pod watch sees every pod of its namespace), closed with the
    // test's S3 endpoint when the next test starts: the contract's own clean-up (stopping what a test
    // left running) comes after any @AfterEach of this class.
    private static final java.util.List<AutoCloseable> LAST_TESTS = new java.util.ArrayList<>();
    private MockCluster cluster;
    private S3ProtocolServer s3;

    @Override
    protected ObjectStore objectStore(Path dir) {
        try {
            closeTheLastTests();   // the first call of a test: the last test has been cleaned up
            for (String bucket : new String[] {"contract-data", "contract-models"}) Files.createDirectories(dir.resolve(bucket));
            s3 = S3ProtocolServer.start(dir, "127.0.0.1", 0, KEY, SECRET);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        S3ObjectStore store = S3ObjectStore.open(S3Settings.of(s3.endpoint(), "us-east-1", KEY, SECRET));
        LAST_TESTS.add(store);
        LAST_TESTS.add(s3);
        return store;
    }

    @BeforeEach
    void startCluster(@org.junit.jupiter.api.io.TempDir Path pods) {
        cluster = new MockCluster();
        cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("vernier-s3").endMetadata()
                .addToData("AWS_ACCESS_KEY_ID", base64(KEY)).addToData("AWS_SECRET_ACCESS_KEY", base64(SECRET)).build())
                .create();   // data, not stringData, which only a real API server turns into data
        Kubelet kubelet = new Kubelet(cluster, TestImages::image, pods);
        LAST_TESTS.add(cluster);
        LAST_TESTS.add(kubelet);
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @AfterAll
    static void closeTheLastTests() throws Exception {
        for (AutoCloseable c : LAST_TESTS.reversed()) c.close();
        LAST_TESTS.clear();
    }

    @Override
    protected TrainingBackend backend(TrainingBackendFactory.Context context) {
        Map<String, String> settings = Map.of("kubernetes-namespace", MockCluster.NAMESPACE,
                "kubernetes-image", VERNIER_IMAGE, "kubernetes-s3-endpoint", s3.endpoint().toString(),
                "kubernetes-s3-secret", "vernier-s3");
        return cluster.backend(context.withSettings(settings));
    }

    @Override
    protected String image(String program) {
        return TestImages.training(program);
    }

    /** A JVM sidecar starts before the program does: a second or more on a loaded machine. */
    @Override
    public Duration patience() {
        return Duration.ofSeconds(60);
    }

    @Override
    public long shortRuntimeSeconds() {
        return 8;
    }

    @Override
    public Map<String, UnaryOperator<JobSpecBuilder>> unsupportedFeatures() {
        Map<String, UnaryOperator<JobSpecBuilder>> features = new LinkedHashMap<>(super.unsupportedFeatures());
        features.put("Pipe input mode is not supported yet on the kubernetes backend", job -> job.inputMode("Pipe")
                .channels(InputChannel.of("train", "s3://contract-data/train/")));
        features.put("is not an s3:// location", job -> job.channels(InputChannel.of("train", "file:///srv/data/")));
        features.put("CheckpointConfig is not supported yet on the kubernetes backend",
                job -> job.checkpoints("s3://contract-models/checkpoints"));
        return features;
    }

    /**
     * The one test whose backend watches pods runs last: when a watch closes, fabric8's mock server
     * blocks its event loop for up to a minute (WatchEventsListener.onClosed awaits its executor's
     * end there), and the requests of the test after it timed out.
     */
    static final class PodWatchLast implements MethodOrderer {
        @Override
        public void orderMethods(MethodOrdererContext context) {
            context.getMethodDescriptors().sort(java.util.Comparator.comparing(
                    (MethodDescriptor m) -> m.getMethod().getName().startsWith("onRunExit"))
                    .thenComparing(m -> m.getMethod().getName()));
        }
    }

    /** Image names the test kubelet runs: the testkit's programs and Vernier's own image from the test class path. */
    static final class TestImages {
        private static final String PREFIX = "contract.example/";

        static String training(String program) {
            return PREFIX + program + ":1";
        }

        static Kubelet.Image image(String name) {
            if (name.equals(VERNIER_IMAGE)) return vernier();
            if (!name.startsWith(PREFIX)) return null;
            Path program = Programs.path(name.substring(PREFIX.length(), name.lastIndexOf(':')));
            return new Kubelet.Image(java.util.List.of("/opt/program/" + program.getFileName()),
                    Map.of("/opt/program", program.getParent()), Map.of("PATH", Kubelet.PATH));
        }

        /**
         * Vernier's image as Jib lays it out: {@code /opt/vernier/jib-classpath-file}, here naming this test's class path.
         * Entries below /tmp (a checkout there) are copied into the image, since every container gets a /tmp of its own.
         */
        private static synchronized Kubelet.Image vernier() {
            try {
                Path app = Path.of(System.getProperty("java.io.tmpdir"), "vernier-test-image-" + ProcessHandle.current().pid());
                if (!Files.exists(app.resolve("jib-classpath-file"))) {
                    Files.createDirectories(app.resolve("cp"));
                    java.util.List<String> entries = new java.util.ArrayList<>();
                    int i = 0;
                    for (String entry : TestClassPath.entries().split(java.io.File.pathSeparator)) {
                        Path source = Path.of(entry).toAbsolutePath().normalize();
                        if (!source.startsWith("/tmp/") || !Files.exists(source)) {
                            entries.add(entry);
                            continue;
                        }
                        String name = (i++) + "-" + source.getFileName();
                        copy(source, app.resolve("cp").resolve(name));
                        entries.add("/opt/vernier/cp/" + name);
                    }
                    Files.writeString(app.resolve("jib-classpath-file"), String.join(java.io.File.pathSeparator, entries));
                }
                String java = Path.of(System.getProperty("java.home"), "bin").toString();
                return new Kubelet.Image(JobSpecs.POD_TASKS, Map.of("/opt/vernier", app),
                        Map.of("PATH", java + ":" + Kubelet.PATH, "HOME", "/root"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void copy(Path source, Path target) throws IOException {
            try (var paths = Files.walk(source)) {
                for (Path p : (Iterable<Path>) paths::iterator)
                    Files.copy(p, target.resolve(source.relativize(p).toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
