package dev.vernier.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.testkit.Programs;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TrainingImages that name container images, run on the Slurm cluster's nodes through podman. */
@ExtendWith(SlurmCluster.class)
class SlurmContainerTest {
    private static final AtomicInteger JOBS = new AtomicInteger();
    private static final String LABEL = "dev.vernier.training-job";

    @TempDir
    Path dir;

    private TrainingBackend backend(Map<String, String> extra) {
        SlurmCluster.cancelAfterEach(dir);
        Map<String, String> settings = new HashMap<>(Map.of("slurm-container-engine", "podman"));
        settings.putAll(extra);
        return SlurmTrainingBackendContractTest.SLURM.create(new TrainingBackendFactory.Context(settings,
                dir.resolve("data"), new DirectoryObjectStore(dir.resolve("objects")), Clock.systemUTC(),
                Duration.ofSeconds(1), 1 << 20));
    }

    private static TrainingJobSpec job(String image, Map<String, String> hyperparameters) {
        return job(image, hyperparameters, 300);
    }

    private static TrainingJobSpec job(String image, Map<String, String> hyperparameters, long maxRuntimeSeconds) {
        String name = "slurmimg-" + JOBS.incrementAndGet() + "-" + ProcessHandle.current().pid();
        return new TrainingJobSpec(name, "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name, null,
                image, "File", hyperparameters, Map.of(), List.of(new MetricDefinition("accuracy", "validation:accuracy=([0-9.]+)")),
                List.of(), "s3://slurm-models/out",
                new TrainingJobSpec.Resources("ml.m5.large", 1, 10), maxRuntimeSeconds, false);
    }

    @Test
    void an_image_runs_on_a_node_and_completes_with_its_metrics_and_model() throws Exception {
        TrainingBackend backend = backend(Map.of());
        TrainingJobSpec spec = job(Images.of("completes.sh"), Map.of("learning_rate", "0.25"));
        backend.check(spec);
        List<MetricPoint> points = new ArrayList<>();
        RunObservation end = pollToEnd(backend, backend.launch(spec).handle(), null, points);
        assertThat(end.result().status()).as(end.result().failureReason()).isEqualTo(RunResult.Status.COMPLETED);
        String log = new String(backend.readLog(end.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8);
        assertThat(log).contains("lr=0.25 job=" + spec.trainingJobName()).contains("epoch=3 train_loss=0.1");
        assertThat(points).extracting(MetricPoint::value).containsExactly(0.6, 0.7, 0.8);
        assertThat(end.result().modelArtifactUri()).endsWith("/model.tar.gz");
        try (Stream<Path> objects = Files.walk(dir.resolve("objects"))) {
            assertThat(objects.filter(f -> f.getFileName().toString().equals("model.tar.gz"))).hasSize(1);
        }
        assertThat(containersOf(spec)).isEmpty();
        backend.close();
    }

    @Test
    void a_stop_stops_the_container_and_removes_it_even_when_the_program_ignores_sigterm() throws Exception {
        TrainingBackend backend = backend(Map.of());
        TrainingJobSpec spec = job(Images.of("ignores_term.sh"), Map.of());
        LaunchedRun launched = backend.launch(spec);
        var handle = launched.handle();
        Instant deadline = Instant.now().plusSeconds(90);
        while (!new String(backend.readLog(handle, 0, 1 << 20).bytes(), StandardCharsets.UTF_8).contains("step=1")) {
            assertThat(Instant.now()).as("the container started").isBefore(deadline);
            handle = backend.poll(handle).handle();
            Thread.sleep(200);
        }
        assertThat(containersOf(spec)).hasSize(1);
        RunObservation end = pollToEnd(backend, handle,
                StopCause.USER_REQUEST, new ArrayList<>());
        assertThat(end.result().status()).isEqualTo(RunResult.Status.STOPPED);
        assertThat(containersOf(spec)).as("containers left").isEmpty();
        backend.close();
    }

    @Test
    void sigterm_reaches_the_program_in_the_container_on_a_stop_and_at_max_runtime() throws Exception {
        TrainingBackend backend = backend(Map.of());
        TrainingJobSpec stopped = job(Images.of("finishes_on_term.sh"), Map.of());
        TrainingJobSpec timedOut = job(Images.of("finishes_on_term.sh"), Map.of(), 3);
        RunHandle stopping = backend.launch(stopped).handle();
        RunHandle running = backend.launch(timedOut).handle();
        Instant deadline = Instant.now().plusSeconds(90);
        while (!new String(backend.readLog(stopping, 0, 1 << 20).bytes(), StandardCharsets.UTF_8).contains("step=3")) {
            assertThat(Instant.now()).as("the container started").isBefore(deadline);
            stopping = backend.poll(stopping).handle();
            Thread.sleep(200);
        }
        RunObservation end = pollToEnd(backend, stopping, StopCause.USER_REQUEST, new ArrayList<>());
        RunObservation timeout = pollToEnd(backend, running, null, new ArrayList<>());
        for (RunObservation o : List.of(end, timeout)) {
            assertThat(new String(backend.readLog(o.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8))
                    .contains("step=6 loss=6.5");
            assertThat(o.result().modelArtifactUri()).isNotNull();
        }
        assertThat(end.result().secondaryStatus()).isEqualTo(RunResult.SecondaryStatus.STOPPED);
        assertThat(timeout.result().secondaryStatus()).isEqualTo(RunResult.SecondaryStatus.MAX_RUNTIME_EXCEEDED);
        assertThat(containersOf(stopped)).isEmpty();
        assertThat(containersOf(timedOut)).isEmpty();
        backend.close();
    }

    @Test
    void an_image_neither_present_nor_mapped_is_refused_and_a_mapped_one_runs() throws Exception {
        TrainingBackend backend = backend(Map.of());
        TrainingJobSpec absent = job("123456789012.dkr.ecr.us-east-1.amazonaws.com/absent:1", Map.of());
        assertThatThrownBy(() -> backend.check(absent)).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("absent:1").hasMessageContaining("container-images");
        TrainingBackend mapping = backend(Map.of("slurm-container-images", "*/absent:*=" + Images.of("completes.sh")));
        mapping.check(absent);
        assertThat(pollToEnd(mapping, mapping.launch(absent).handle(), null, new ArrayList<>()).result().status()).isEqualTo(RunResult.Status.COMPLETED);
        backend.close();
        mapping.close();
    }

    @Test
    void without_the_engine_setting_an_image_is_refused_naming_it_and_programs_still_run() {
        SlurmCluster.cancelAfterEach(dir);
        TrainingBackend backend = SlurmTrainingBackendContractTest.SLURM.create(new TrainingBackendFactory.Context(
                Map.of(), dir.resolve("data"), new DirectoryObjectStore(dir.resolve("objects")), Clock.systemUTC(),
                Duration.ofSeconds(1), 1 << 20));
        assertThatThrownBy(() -> backend.check(job(Images.of("completes.sh"), Map.of())))
                .isInstanceOf(UnsupportedTrainingFeatureException.class).hasMessageContaining("slurm-container-engine");
        backend(Map.of()).check(job(Programs.image("completes.sh"), Map.of()));
        backend.close();
    }

    @Test
    void several_hosts_with_an_image_are_refused_clearly() {
        TrainingBackend backend = backend(Map.of());
        TrainingJobSpec one = job(Images.of("completes.sh"), Map.of());
        TrainingJobSpec two = new TrainingJobSpec(one.trainingJobName(), one.trainingJobArn(), null, one.trainingImage(),
                "File", Map.of(), Map.of(), List.of(), List.of(), "s3://slurm-models/out",
                new TrainingJobSpec.Resources("ml.m5.large", 2, 10), 300, false);
        assertThatThrownBy(() -> backend.check(two)).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("InstanceCount 2 with a container image");
        backend.close();
    }

    private static RunObservation pollToEnd(TrainingBackend backend, RunHandle started, StopCause stop,
                                            List<MetricPoint> points) throws InterruptedException {
        RunHandle handle = stop == null ? started : backend.stop(started, stop);
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            RunObservation o = backend.poll(handle);
            points.addAll(o.newPoints());
            if (o.isTerminal()) return o;
            handle = o.handle();
            Thread.sleep(200);
        }
        throw new AssertionError("the run did not end within 120 s");
    }

    /** The containers, running or not, labelled with the job's name. */
    private static List<String> containersOf(TrainingJobSpec spec) throws IOException {
        SlurmCluster.Run r = SlurmCluster.run("podman", "ps", "-a", "--format", "{{.Names}}",
                "--filter", "label=" + LABEL + "=" + spec.trainingJobName());
        assertThat(r.exit()).as(r.out()).isZero();
        return r.out().lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * The container backend's test images (its build-test-images.sh), built once per content on podman: the
     * testkit's programs, each the entry point of an image. Without podman the tests are skipped, except in CI.
     */
    static final class Images {
        private static final Path SCRIPT = Path.of("../vernier-backend-container/src/test/images/build-test-images.sh");
        private static final Path PROGRAMS = Path.of("../vernier-testkit/src/main/resources/programs");
        private static String tag;

        static synchronized String of(String program) {
            if (tag == null) tag = build();
            return "localhost/vernier-test-" + program.replaceAll("\\.sh$", "").replace('_', '-') + ":" + tag;
        }

        private static String build() {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(Files.readAllBytes(SCRIPT));
                try (Stream<Path> files = Files.list(PROGRAMS)) {
                    for (Path f : files.sorted().toList()) digest.update(Files.readAllBytes(f));
                }
                String built = "s" + HexFormat.of().formatHex(digest.digest(), 0, 5);
                SlurmCluster.Run podman = SlurmCluster.run("podman", "version");
                if (podman.exit() != 0) {
                    if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI needs podman: " + podman.out());
                    Assumptions.abort("podman does not work here: " + podman.out());
                }
                List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "podman", built, PROGRAMS.toString()));
                Process p = new ProcessBuilder(command).inheritIO().start();
                assertThat(p.waitFor()).as("build-test-images.sh").isZero();
                return built;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
