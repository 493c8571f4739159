package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link TrainingBackend} does, checked through the interface only: no pids, no paths,
 * no look into the backend's own files. The training programs are the testkit's
 * ({@link dev.vernier.testkit.Programs}); they report what they see in their log.
 *
 * <p>A backend module runs the suite by extending it (see {@code LocalTrainingBackendContractTest}).
 * Each test gets a data directory and an object store of its own; backends get a stop grace
 * period of {@link #STOP_GRACE}. Waits poll with a deadline ({@link #patience()}), never sleep a
 * fixed time.
 */
public abstract class TrainingBackendContract {
    /** The grace period between SIGTERM and SIGKILL of the backends under test. */
    protected static final Duration STOP_GRACE = Duration.ofSeconds(1);
    protected static final long LOG_CAP_BYTES = 1 << 20;
    private static final AtomicInteger JOBS = new AtomicInteger();

    private TrainingBackendFactory.Context context;
    private final List<TrainingBackend> instances = new ArrayList<>();
    private final List<ObservedRun> launched = new ArrayList<>();

    /**
     * A new instance of the backend under test, made as its factory makes it from {@code context}.
     * Called again with the same context, it is the same backend after a server restart.
     */
    protected abstract TrainingBackend backend(TrainingBackendFactory.Context context);

    /** The object store of one test, which keeps what it stores below {@code dir} if it keeps files. */
    protected abstract ObjectStore objectStore(Path dir);

    /** The TrainingImage that runs the testkit's program {@code program} (a file name in Programs) as {@code program train}. */
    protected abstract String image(String program);

    /** Whether listeners of {@link TrainingBackend#onRunExit} hear of runs that end (optional in the interface). */
    protected boolean notifiesRunExit() {
        return true;
    }

    /** The longest a test waits for a run to get where it expects it. */
    protected Duration patience() {
        return Duration.ofSeconds(30);
    }

    /**
     * Jobs that {@code check} and {@code launch} must refuse, each under a text its refusal names.
     * By default what the shared contract cannot stage or store yet; a backend adds its own limits.
     */
    protected Map<String, UnaryOperator<JobSpecBuilder>> unsupportedFeatures() {
        Map<String, UnaryOperator<JobSpecBuilder>> features = new LinkedHashMap<>();
        features.put("TrainingInputMode Pipe", job -> job.inputMode("Pipe"));
        features.put("S3DataType ManifestFile", job -> job.channels(
                new InputChannel("train", "s3://contract-data/train/", "ManifestFile", null, null, null, null, null)));
        features.put("CompressionType Gzip", job -> job.channels(
                new InputChannel("train", "s3://contract-data/train/", null, null, null, "Gzip", null, null)));
        features.put("RecordWrapperType RecordIO", job -> job.channels(
                new InputChannel("train", "s3://contract-data/train/", null, null, null, null, "RecordIO", null)));
        features.put("S3OutputPath", job -> job.outputPath("https://example.com/out"));
        return features;
    }

    /** An image no backend can run. */
    protected String unrunnableImage() {
        return "file:///nonexistent/vernier-contract/program";
    }

    @BeforeEach
    void newContext(@TempDir Path dir) {
        context = new TrainingBackendFactory.Context(Map.of(), dir.resolve("data"), objectStore(dir.resolve("objects")),
                Clock.systemUTC(), STOP_GRACE, LOG_CAP_BYTES);
    }

    /** Stops what a failed test left running, so that nothing outlives it. */
    @AfterEach
    void stopWhatIsLeft() {
        try {
            if (instances.isEmpty()) return;
            TrainingBackend backend = instances.getLast();
            for (ObservedRun run : launched)
                if (!run.ended()) run.stop(backend, StopCause.USER_REQUEST).pollToEnd(backend, patience());
        } finally {
            instances.forEach(TrainingBackend::close);
        }
    }

    // ---------------------------------------------------------------- how runs end

    @Test
    void a_program_that_exits_0_completes_with_its_metrics_in_order_and_its_artifacts_stored() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("completes.sh").hyperParameters(Map.of("learning_rate", "0.1")).metrics(
                new MetricDefinition("train:loss", "train_loss=([0-9.]+)"),
                new MetricDefinition("validation:accuracy", "validation:accuracy=([0-9.]+)"));
        TrainingJobSpec spec = job.build();

        ObservedRun run = toEnd(launch(backend, spec), backend);

        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.COMPLETED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.COMPLETED);
        assertThat(result.failureReason()).isNull();
        assertThat(result.exitCode()).isZero();
        assertThat(result.startTime()).isBeforeOrEqualTo(result.endTime());
        assertThat(run.values("train:loss")).containsExactly(0.3, 0.2, 0.1, 0.05);   // the last line had no newline
        assertThat(run.values("validation:accuracy")).containsExactly(0.6, 0.7, 0.8);
        assertThat(result.modelArtifactUri()).isEqualTo("s3://contract-models/out/" + job.name() + "/output/model.tar.gz");
        assertThat(archive(result.modelArtifactUri())).containsExactly("extra/", "extra/vocab.txt", "model.bin");
        assertThat(archive(spec.outputPrefix() + "output.tar.gz")).containsExactly("report.txt");
        assertThat(log(backend, run)).contains("to stderr: warning");
    }

    @Test
    void a_program_that_prints_no_metric_completes_with_no_points() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("no_metrics.sh").build()), backend);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.points()).isEmpty();
    }

    @Test
    void values_that_are_not_finite_numbers_are_not_points() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("prints_nan.sh").build()), backend);

        assertThat(run.values("loss")).containsExactly(0.25);
    }

    @Test
    void a_program_that_fails_has_its_failure_file_as_reason() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("fails_with_failure_file.sh").build()), backend);

        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.FAILED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.failureReason()).startsWith("ValueError: learning_rate must be positive\nxxx").hasSize(1024);
        assertThat(result.modelArtifactUri()).isNull();
    }

    @Test
    void a_program_that_fails_without_failure_file_has_its_exit_code_and_last_log_lines_as_reason() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("fails.sh").build()), backend);

        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.failureReason())
                .startsWith("AlgorithmError: the training program exited with code 3. Last log lines:\n")
                .endsWith("working on batch 30\nTraceback: division by zero")
                .doesNotContain("batch 20\n");
        assertThat(result.failureReason().lines()).hasSize(11);
    }

    // ---------------------------------------------------------------- time limits and stops

    @Test
    void a_run_past_its_MaxRuntimeInSeconds_gets_SIGTERM_and_ends_Stopped_MaxRuntimeExceeded() throws Exception {
        TrainingBackend backend = newBackend();
        long start = System.nanoTime();

        ObservedRun run = toEnd(launch(backend, job("stops_gracefully.sh").maxRuntimeSeconds(1).build()), backend);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.STOPPED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
        assertThat(result.failureReason()).isNull();
        assertThat(run.values("loss")).containsExactly(0.5);
        assertThat(log(backend, run)).contains("got SIGTERM, saving");
        assertThat(archive(result.modelArtifactUri())).containsExactly("model.bin");
    }

    @Test
    void a_stopped_run_gets_SIGTERM_and_ends_Stopped_with_its_model() throws Exception {
        TrainingBackend backend = newBackend();
        ObservedRun run = launch(backend, job("stops_gracefully.sh").build())
                .pollUntil(backend, patience(), r -> !r.points().isEmpty());

        toEnd(run.stop(backend, StopCause.USER_REQUEST), backend);

        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.STOPPED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
        assertThat(result.failureReason()).isNull();
        assertThat(log(backend, run)).contains("got SIGTERM, saving");
        assertThat(archive(result.modelArtifactUri())).containsExactly("model.bin");
        assertThat(run.values("loss")).containsExactly(0.5);
    }

    @Test
    void a_run_that_ignores_SIGTERM_is_killed_once_the_grace_period_has_passed() {
        TrainingBackend backend = newBackend();
        ObservedRun run = launch(backend, job("ignores_term.sh").build())
                .pollUntil(backend, patience(), r -> !r.points().isEmpty());
        long asked = System.nanoTime();

        toEnd(run.stop(backend, StopCause.USER_REQUEST), backend);

        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(STOP_GRACE);
        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.result().secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
        assertThat(log(backend, run)).contains("got SIGTERM, ignoring it");
    }

    @Test
    void a_stop_right_after_launch_still_stops_the_run() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("stops_gracefully.sh").build()).stop(backend, StopCause.USER_REQUEST),
                backend);

        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.result().secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
    }

    // ---------------------------------------------------------------- every call again

    @Test
    void launching_a_job_again_returns_the_run_already_launched_also_after_a_restart() {
        TrainingBackend backend = newBackend();
        var job = job("finishes_on_term.sh");
        LaunchedRun first = backend.launch(job.build());
        ObservedRun run = observe(first.handle());

        assertThat(backend.launch(job.build())).isEqualTo(first);
        assertThat(newBackend().launch(job.build())).isEqualTo(first);

        run.pollUntil(backend, patience(), r -> r.points().size() == 3);
        toEnd(run.stop(backend, StopCause.USER_REQUEST), backend);
        assertThat(run.values("loss")).containsExactly(1.5, 2.5, 3.5, 4.5, 5.5, 6.5);
        assertThat(log(backend, run).lines().filter(line -> line.equals("step=1 loss=1.5"))).hasSize(1);
    }

    @Test
    void a_second_stop_keeps_the_first_cause_and_an_older_handle_still_learns_of_it() {
        TrainingBackend backend = newBackend();
        ObservedRun run = launch(backend, job("stops_gracefully.sh").build())
                .pollUntil(backend, patience(), r -> !r.points().isEmpty());
        RunHandle beforeStop = run.handle();

        RunHandle first = backend.stop(beforeStop, StopCause.MAX_RUNTIME_EXCEEDED);
        RunHandle again = backend.stop(beforeStop, StopCause.USER_REQUEST);
        RunHandle onFirst = backend.stop(first, StopCause.EARLY_STOPPING);

        assertThat(again).isEqualTo(first);
        assertThat(onFirst).isEqualTo(first);
        toEnd(run, backend);   // polled with the handle from before the stops, as after a crash before storing one
        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.result().secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
    }

    @Test
    void a_finished_run_answers_the_same_result_to_polls_stops_and_launches_also_after_a_restart() {
        TrainingBackend backend = newBackend();
        TrainingJobSpec spec = job("completes.sh").build();
        LaunchedRun launchedRun = backend.launch(spec);
        ObservedRun run = toEnd(observe(launchedRun.handle()), backend);
        RunResult result = run.result();

        assertSameEnd(backend.poll(run.handle()), run, result);
        TrainingBackend restarted = newBackend();
        assertSameEnd(restarted.poll(run.handle()), run, result);
        RunHandle stopped = restarted.stop(run.handle(), StopCause.USER_REQUEST);
        assertThat(restarted.poll(stopped).result()).isEqualTo(result);
        LaunchedRun again = restarted.launch(spec);
        assertThat(again).isEqualTo(launchedRun);
        assertThat(restarted.poll(again.handle()).result()).isEqualTo(result);
    }

    private static void assertSameEnd(RunObservation again, ObservedRun run, RunResult result) {
        assertThat(again.phase()).isEqualTo(Phase.FINISHED);
        assertThat(again.result()).isEqualTo(result);
        assertThat(again.newPoints()).isEmpty();
        assertThat(again.handle()).isEqualTo(run.handle());
    }

    // ---------------------------------------------------------------- after a restart

    @Test
    void a_new_instance_goes_on_from_the_last_stored_handle_without_losing_or_repeating_a_point() {
        TrainingBackend first = newBackend();
        ObservedRun run = launch(first, job("finishes_on_term.sh").build())
                .pollUntil(first, patience(), r -> r.points().size() == 3);

        TrainingBackend second = newBackend();   // the server restarts: only the stored handle is left
        RunObservation adopted = run.poll(second);

        assertThat(adopted.phase()).isEqualTo(Phase.RUNNING);
        assertThat(adopted.newPoints()).isEmpty();
        toEnd(run.stop(second, StopCause.USER_REQUEST), second);
        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.values("loss")).containsExactly(1.5, 2.5, 3.5, 4.5, 5.5, 6.5);
    }

    @Test
    void a_new_instance_observes_a_run_that_another_launched_to_its_end() throws Exception {
        var job = job("completes.sh").metrics(new MetricDefinition("train:loss", "train_loss=([0-9.]+)"));
        RunHandle handle = launch(newBackend(), job.build()).handle();

        TrainingBackend second = newBackend();
        ObservedRun run = toEnd(observe(handle), second);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.values("train:loss")).containsExactly(0.3, 0.2, 0.1, 0.05);
        assertThat(archive(run.result().modelArtifactUri())).contains("model.bin");
    }

    // ---------------------------------------------------------------- the log

    @Test
    void the_log_holds_stdout_and_stderr_and_reads_in_chunks_from_any_offset() throws Exception {
        TrainingBackend backend = newBackend();
        ObservedRun run = toEnd(launch(backend, job("completes.sh").build()), backend);

        byte[] whole = backend.readLog(run.handle(), 0, 1 << 20).bytes();

        assertThat(new String(whole, StandardCharsets.UTF_8)).contains("epoch=1 train_loss=0.3", "to stderr: warning")
                .endsWith("final train_loss=0.05");
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        long offset = 0;
        for (LogChunk chunk = backend.readLog(run.handle(), 0, 7); chunk.bytes().length > 0;
             chunk = backend.readLog(run.handle(), offset, 7)) {
            assertThat(chunk.bytes().length).isLessThanOrEqualTo(7);
            chunks.write(chunk.bytes());
            offset = chunk.nextOffset();
        }
        assertThat(chunks.toByteArray()).isEqualTo(whole);
        assertThat(offset).isEqualTo(whole.length);
        assertThat(backend.readLog(run.handle(), 10, 1 << 20).bytes()).isEqualTo(Arrays.copyOfRange(whole, 10, whole.length));
        LogChunk past = backend.readLog(run.handle(), whole.length, 100);
        assertThat(past.bytes()).isEmpty();
        assertThat(past.nextOffset()).isEqualTo(whole.length);
        assertThat(newBackend().readLog(run.handle(), 0, 1 << 20).bytes()).isEqualTo(whole);
    }

    // ---------------------------------------------------------------- what the program sees

    @Test
    void the_program_runs_as_program_train_with_its_hyperparameters_and_sagemakers_environment() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("prints_contract.sh").hyperParameters(Map.of("alpha", "1e-3", "layers", "4"))
                .environment(Map.of("MY_VARIABLE", "from the definition"));
        String train = "s3://contract-data/" + job.name() + "/train/";
        put(train + "a.csv", "1,2");
        job.channels(InputChannel.of("train", train));

        ObservedRun run = toEnd(launch(backend, job.build()), backend);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        List<String> lines = log(backend, run).lines().toList();
        assertThat(lines).contains(
                "args: train",
                "hyperparameters.json: {\"alpha\":\"1e-3\",\"layers\":\"4\"}",
                "SM_HPS: {\"alpha\":\"1e-3\",\"layers\":\"4\"}",
                "SM_HP_ALPHA: 1e-3",
                "SM_HP_LAYERS: 4",
                "SM_CHANNELS: [\"train\"]",
                "SM_CHANNEL_TRAIN holds: a.csv",
                "SM_CURRENT_HOST: algo-1",
                "SM_HOSTS: [\"algo-1\"]",
                "TRAINING_JOB_NAME: " + job.name(),
                "TRAINING_JOB_ARN: " + job.arn(),
                "MY_VARIABLE: from the definition",
                "SM_MODEL_DIR: a directory",
                "SM_INPUT_DIR: a directory",
                "SM_INPUT_CONFIG_DIR: a directory",
                "SM_OUTPUT_DIR: a directory",
                "SM_OUTPUT_DATA_DIR: a directory",
                "SM_CHANNEL_TRAIN: a directory",
                "SM_NUM_CPUS: a number",
                "SM_NUM_GPUS: a number");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("resourceconfig.json: ")
                .contains("\"current_host\":\"algo-1\"", "\"hosts\":[\"algo-1\"]", "\"current_instance_type\":\"ml.m5.large\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("SM_TRAINING_ENV: ")
                .contains("\"job_name\":\"" + job.name() + "\"", "\"hyperparameters\":{\"alpha\":\"1e-3\",\"layers\":\"4\"}"));
    }

    @Test
    void hyperparameter_and_channel_names_that_are_not_shell_identifiers_reach_the_program() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("prints_environment.sh").hyperParameters(Map.of("learning-rate", "0.1", "alpha", "2"));
        String train = "s3://contract-data/" + job.name() + "/train/";
        put(train + "a.csv", "1,2");
        job.channels(InputChannel.of("train-data", train));

        ObservedRun run = toEnd(launch(backend, job.build()), backend);

        assertThat(log(backend, run).lines().map(line -> line.replaceAll("=/.*", "=/...")))
                .containsExactly("SM_CHANNEL_TRAIN-DATA=/...", "SM_HP_ALPHA=2", "SM_HP_LEARNING-RATE=0.1");
    }

    @Test
    void input_channels_are_staged_from_the_object_store_before_the_program_starts() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("prints_channel_files.sh");
        String data = "s3://contract-data/" + job.name() + "/";
        put(data + "train/a.csv", "1,2");
        put(data + "train/part/b.csv", "3,4");
        put(data + "test/c.csv", "5,6");
        job.channels(new InputChannel("train", data + "train/", null, null, "text/csv", null, null, null),
                InputChannel.of("test", data + "test/"));

        ObservedRun run = toEnd(launch(backend, job.build()), backend);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        List<String> lines = log(backend, run).lines().toList();
        assertThat(lines).containsSubsequence("test/c.csv: 5,6", "train/a.csv: 1,2", "train/part/b.csv: 3,4");
        assertThat(lines.getFirst()).contains(
                "\"train\":{\"ContentType\":\"text/csv\",\"TrainingInputMode\":\"File\"",
                "\"test\":{\"TrainingInputMode\":\"File\"");
    }

    // ---------------------------------------------------------------- what the backend cannot do

    @Test
    void check_accepts_a_job_it_can_run_and_check_and_launch_refuse_each_feature_it_cannot() {
        TrainingBackend backend = newBackend();
        backend.check(job("completes.sh").build());

        unsupportedFeatures().forEach((feature, withFeature) -> {
            TrainingJobSpec spec = withFeature.apply(job("completes.sh")).build();
            assertThatThrownBy(() -> backend.check(spec)).as(feature)
                    .isInstanceOf(UnsupportedTrainingFeatureException.class).hasMessageContaining(feature);
            assertThatThrownBy(() -> backend.launch(spec)).as(feature)
                    .isInstanceOf(UnsupportedTrainingFeatureException.class).hasMessageContaining(feature);
        });
    }

    @Test
    void an_image_the_backend_cannot_run_is_refused_as_such() {
        TrainingBackend backend = newBackend();
        TrainingJobSpec spec = job("completes.sh").image(unrunnableImage()).build();

        assertThatThrownBy(() -> backend.check(spec)).isInstanceOf(UnsupportedImageException.class);
        assertThatThrownBy(() -> backend.launch(spec)).isInstanceOf(UnsupportedImageException.class);
    }

    // ---------------------------------------------------------------- optional

    @Test
    void onRunExit_listeners_hear_of_the_end_of_a_run() throws Exception {
        assumeTrue(notifiesRunExit(), "this backend leaves the ends of runs to be found by polling");
        TrainingBackend backend = newBackend();
        CountDownLatch ended = new CountDownLatch(1);
        backend.onRunExit(ended::countDown);
        ObservedRun run = launch(backend, job("finishes_on_term.sh").build())
                .pollUntil(backend, patience(), r -> r.points().size() == 3);

        assertThat(ended.getCount()).as("heard of an end while the program waits for SIGTERM").isEqualTo(1);
        backend.stop(run.handle(), StopCause.USER_REQUEST);
        assertThat(ended.await(patience().toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(toEnd(run, backend).result().status()).isEqualTo(Status.STOPPED);
    }

    // ---------------------------------------------------------------- helpers

    /** A new instance of the backend under test on this test's data directory and object store. */
    protected final TrainingBackend newBackend() {
        TrainingBackend backend = backend(context);
        instances.add(backend);
        return backend;
    }

    /** A job of a name no other test uses that runs the testkit's {@code program}. */
    protected final JobSpecBuilder job(String program) {
        String name = "contract-" + JOBS.incrementAndGet() + "-" + program.replaceAll("\\.sh$", "").replaceAll("[^A-Za-z0-9]", "-");
        return new JobSpecBuilder(name, image(program));
    }

    protected final ObservedRun launch(TrainingBackend backend, TrainingJobSpec spec) {
        ObservedRun run = new ObservedRun(backend.launch(spec).handle());
        launched.add(run);
        return run;
    }

    private ObservedRun observe(RunHandle handle) {
        ObservedRun run = new ObservedRun(handle);
        launched.add(run);
        return run;
    }

    private ObservedRun toEnd(ObservedRun run, TrainingBackend backend) {
        return run.pollToEnd(backend, patience());
    }

    /** Stores {@code text} as the object at {@code uri}. */
    protected final void put(String uri, String text) throws IOException {
        context.objectStore().write(URI.create(uri), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The entry names of the .tar.gz stored at {@code uri}. */
    protected final List<String> archive(String uri) throws IOException {
        Path fetched = Files.createTempDirectory(context.dataDir().getParent(), "fetched");
        assertThat(context.objectStore().copyPrefixTo(URI.create(uri), fetched)).as("objects at " + uri).isOne();
        try (InputStream in = Files.newInputStream(fetched.resolve(uri.substring(uri.lastIndexOf('/') + 1)))) {
            return TarEntries.of(in);
        }
    }

    /** The run's whole log, as the log endpoint reads it. */
    protected static String log(TrainingBackend backend, ObservedRun run) {
        return new String(backend.readLog(run.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8);
    }
}
