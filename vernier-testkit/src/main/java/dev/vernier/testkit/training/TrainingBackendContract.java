package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link TrainingBackend} does, checked through the interface only: no pids, no paths,
 * no look into the backend's own files. The suite is its parts: {@link RunOutcomeContract},
 * {@link StopContract}, {@link RestartContract}, {@link ProgramContract},
 * {@link RefusalContract}, {@link RunExitContract} and {@link ConfinementContract}.
 *
 * <p>A backend module runs it by extending this class, saying how its backend is made from a
 * factory {@link TrainingBackendFactory.Context}, which object store the tests use and how the
 * testkit's programs are referred to as images (see {@code LocalTrainingBackendContractTest}); it
 * may override {@link #unsupportedFeatures()}, {@link #unrunnableImage()},
 * {@link #notifiesRunExit()} and {@link #patience()}. Each test gets a data directory and an
 * object store of its own; backends get a stop grace period of {@link #stopGrace}.
 */
public abstract class TrainingBackendContract implements RunOutcomeContract, StopContract, RestartContract,
        ProgramContract, RefusalContract, RunExitContract, ConfinementContract {
    protected static final long LOG_CAP_BYTES = 1 << 20;
    private static final AtomicInteger JOBS = new AtomicInteger();

    private TrainingBackendFactory.Context context;
    private final List<TrainingBackend> instances = new ArrayList<>();
    private final List<ObservedRun> observed = new ArrayList<>();

    /**
     * A new instance of the backend under test, made as its factory makes it from {@code context}.
     * Called again with the same context, it is the same backend after a server restart.
     */
    protected abstract TrainingBackend backend(TrainingBackendFactory.Context context);

    /** The object store of one test, which keeps what it stores below {@code dir} if it keeps files. */
    protected abstract ObjectStore objectStore(Path dir);

    /** The TrainingImage that runs the testkit's program {@code program} as {@code program train}. */
    protected abstract String image(String program);

    /** By default what the shared contract cannot stage or store yet; a backend adds its own limits. */
    @Override
    public Map<String, UnaryOperator<JobSpecBuilder>> unsupportedFeatures() {
        Map<String, UnaryOperator<JobSpecBuilder>> features = new LinkedHashMap<>();
        features.put("S3DataType Converse", job -> job.channels(
                new InputChannel("train", "s3://contract-data/train/", "Converse", null, null, null, null, null)));
        features.put("AugmentedManifestFile in File mode", job -> job.channels(new InputChannel("train",
                "s3://contract-data/m.jsonl", "AugmentedManifestFile", null, null, null, null, "File", List.of("a"), null)));
        // SageMaker's own rule: Gzip and RecordIO are used only in Pipe input mode
        features.put("CompressionType Gzip is used only in Pipe input mode", job -> job.channels(
                new InputChannel("train", "s3://contract-data/train/", null, null, null, "Gzip", null, null)));
        features.put("RecordWrapperType RecordIO is used only in Pipe input mode", job -> job.channels(
                new InputChannel("train", "s3://contract-data/train/", null, null, null, null, "RecordIO", null)));
        features.put("S3OutputPath", job -> job.outputPath("https://example.com/out"));
        return features;
    }

    @Override
    public String unrunnableImage() {
        return "file:///nonexistent/vernier-contract/program";
    }

    @Override
    public boolean notifiesRunExit() {
        return true;
    }

    @Override
    public Duration patience() {
        return Duration.ofSeconds(30);
    }

    @BeforeEach
    void newContext(@TempDir Path dir) {
        context = new TrainingBackendFactory.Context(Map.of(), dir.resolve("data"), objectStore(dir.resolve("objects")),
                Clock.systemUTC(), stopGrace(), LOG_CAP_BYTES);
    }

    /** Stops what a failed test left running, so that nothing outlives it. */
    @AfterEach
    void stopWhatIsLeft() {
        try {
            if (instances.isEmpty()) return;
            TrainingBackend backend = instances.getLast();
            for (ObservedRun run : observed)
                if (!run.ended()) run.stop(backend, StopCause.USER_REQUEST).pollToEnd(backend, patience());
        } finally {
            instances.forEach(TrainingBackend::close);
        }
    }

    @Override
    public final TrainingBackend newBackend() {
        TrainingBackend backend = backend(context);
        instances.add(backend);
        return backend;
    }

    @Override
    public final JobSpecBuilder job(String program) {
        String name = "contract-" + JOBS.incrementAndGet() + "-"
                + program.replaceAll("\\.sh$", "").replaceAll("[^A-Za-z0-9]", "-");
        return new JobSpecBuilder(name, image(program));
    }

    @Override
    public final ObservedRun launch(TrainingBackend backend, TrainingJobSpec spec) {
        return observe(backend.launch(spec).handle());
    }

    @Override
    public final ObservedRun observe(RunHandle handle) {
        ObservedRun run = new ObservedRun(handle);
        observed.add(run);
        return run;
    }

    @Override
    public final void put(String uri, String text) throws IOException {
        context.objectStore().write(URI.create(uri), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public final List<String> archive(String uri) throws IOException {
        Path fetched = Files.createTempDirectory(context.dataDir().getParent(), "fetched");
        assertThat(context.objectStore().copyPrefixTo(URI.create(uri), fetched)).as("objects at " + uri).isOne();
        try (InputStream in = Files.newInputStream(fetched.resolve(uri.substring(uri.lastIndexOf('/') + 1)))) {
            return TarEntries.of(in);
        }
    }
}
