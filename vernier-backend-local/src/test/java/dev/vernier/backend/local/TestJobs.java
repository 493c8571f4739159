package dev.vernier.backend.local;

import static org.assertj.core.api.Assertions.fail;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Test programs from src/test/resources/programs, job specs, and a poll loop. */
final class TestJobs {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Roots of the TestJobs of the running test, for {@link KillsLeftoverJobs}. */
    static final java.util.Set<Path> ROOTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    final Path root;
    final DirectoryObjectStore store;

    TestJobs(Path root) {
        this.root = root;
        this.store = new DirectoryObjectStore(root.resolve("objects"));
        ROOTS.add(root.toAbsolutePath());
        openToJobUser(root);
    }

    /** A server that runs as root runs programs as another user, who needs search permission above their job directories. */
    static void openToJobUser(Path dir) {
        dir.toFile().setExecutable(true, false);
    }

    LocalBackendSettings settings() {
        return LocalBackendSettings.defaults(root.resolve("jobs")).withStopGracePeriod(Duration.ofSeconds(1));
    }

    LocalTrainingBackend backend() {
        return new LocalTrainingBackend(settings(), store);
    }

    /** Copies a test program out of the classpath and makes it executable (resources lose their mode bits). */
    Path program(String name) throws IOException {
        Path target = root.resolve("programs").resolve(name);
        if (Files.exists(target)) return target;
        Files.createDirectories(target.getParent());
        try (InputStream in = TestJobs.class.getResourceAsStream("/programs/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test program " + name);
            Files.copy(in, target);
        }
        target.toFile().setExecutable(true, false);
        target.toFile().setReadable(true, false);
        return target;
    }

    SpecBuilder spec(String programName) throws IOException {
        return new SpecBuilder("job-" + COUNTER.incrementAndGet() + "-" + programName.replaceAll("[^A-Za-z0-9]", "-"),
                "file://" + program(programName));
    }

    final class SpecBuilder {
        String name;
        String image;
        Map<String, String> hyperParameters = Map.of();
        Map<String, String> environment = Map.of();
        List<MetricDefinition> metrics = List.of(new MetricDefinition("loss", "loss=([^ ]+)"));
        List<InputChannel> channels = List.of();
        String outputPath = "s3://models/out";
        long maxRuntime = 300;
        boolean isolated;
        int instanceCount = 1;

        SpecBuilder(String name, String image) {
            this.name = name;
            this.image = image;
        }

        SpecBuilder hyperParameters(Map<String, String> v) { hyperParameters = v; return this; }
        SpecBuilder channels(InputChannel... v) { channels = List.of(v); return this; }
        SpecBuilder outputPath(String v) { outputPath = v; return this; }
        SpecBuilder maxRuntime(long seconds) { maxRuntime = seconds; return this; }
        SpecBuilder isolated() { isolated = true; return this; }
        SpecBuilder image(String v) { image = v; return this; }
        SpecBuilder instanceCount(int v) { instanceCount = v; return this; }

        TrainingJobSpec build() {
            return new TrainingJobSpec(name, "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name,
                    "tuning", image, "File", hyperParameters, environment, metrics, channels, outputPath,
                    new TrainingJobSpec.Resources("ml.m5.large", instanceCount, 10), maxRuntime, isolated);
        }
    }

    /** Polls until the run ends (or {@code until} holds), gathering every metric point on the way. */
    static Run pollUntil(TrainingBackend backend, LocalRun handle, Duration timeout, Predicate<Run> until)
            throws InterruptedException {
        Run run = new Run(handle);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RunObservation o = backend.poll(run.handle.toHandle());
            run.add(o);
            if (o.isTerminal() || until.test(run)) return run;
            if (System.nanoTime() > deadline) fail("still " + o.phase() + " after " + timeout + ": " + handle.jobDir());
            Thread.sleep(20);
        }
    }

    /** Launches through the seam and reads the local backend's own handle. */
    static LocalRun launch(TrainingBackend backend, TrainingJobSpec spec) {
        return LocalRun.from(backend.launch(spec).handle());
    }

    static RunObservation poll(TrainingBackend backend, LocalRun handle) {
        return backend.poll(handle.toHandle());
    }

    static LocalRun stop(TrainingBackend backend, LocalRun handle, StopCause cause) {
        return LocalRun.from(backend.stop(handle.toHandle(), cause));
    }

    static LocalRun local(RunObservation o) {
        return LocalRun.from(o.handle());
    }

    /** Whether a program has written {@code file} completely (a line with its newline). */
    static boolean written(Path file) {
        try {
            return Files.exists(file) && Files.readString(file).endsWith("\n");
        } catch (IOException e) {
            return false;
        }
    }

    static Run pollToEnd(TrainingBackend backend, LocalRun handle) throws InterruptedException {
        return pollUntil(backend, handle, Duration.ofSeconds(30), r -> false);
    }

    /** What the polls of one run have shown so far. */
    static final class Run {
        LocalRun handle;
        RunObservation last;
        final List<MetricPoint> points = new ArrayList<>();
        int polls;

        Run(LocalRun handle) {
            this.handle = handle;
        }

        void add(RunObservation o) {
            last = o;
            handle = LocalRun.from(o.handle());
            points.addAll(o.newPoints());
            polls++;
        }

        List<Double> values(String metric) {
            return points.stream().filter(p -> p.name().equals(metric)).map(MetricPoint::value).toList();
        }
    }
}
