package dev.vernier.backend.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.testkit.training.JobSpecBuilder;
import dev.vernier.testkit.training.ObservedRun;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract suite cannot see: image mapping, limits, network isolation, exit codes, clean-up, with real podman. */
class ContainerBackendTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicInteger JOBS = new AtomicInteger();

    @TempDir
    Path dir;
    private final List<TrainingBackend> backends = new ArrayList<>();

    @BeforeEach
    void engine() {
        TestImages.engine();
    }

    @AfterEach
    void close() {
        backends.forEach(TrainingBackend::close);
    }

    private TrainingBackend backend(Map<String, String> settings) {
        var context = new TrainingBackendFactory.Context(settings, dir.resolve("data"),
                new DirectoryObjectStore(dir.resolve("objects")), Clock.systemUTC(), Duration.ofSeconds(1), 1 << 20);
        TrainingBackend backend = new ContainerTrainingBackendFactory().create(context);
        backends.add(backend);
        return backend;
    }

    private static JobSpecBuilder job(String program) {
        return JobSpecBuilder.named("container-" + JOBS.incrementAndGet() + "-" + program.replaceAll("\\.sh$", "")
                .replace('_', '-'), TestImages.image(program));
    }

    private static String log(TrainingBackend backend, ObservedRun run) {
        return new String(backend.readLog(run.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8);
    }

    private static ObservedRun run(TrainingBackend backend, JobSpecBuilder job) {
        return new ObservedRun(backend.launch(job.build()).handle()).pollToEnd(backend, PATIENCE);
    }

    private static List<String> containersOf(String jobName) {
        var r = TestImages.engine().run(List.of("ps", "--all", "--format", "{{.Names}}", "--filter",
                "label=" + ContainerCommands.JOB_LABEL + "=" + jobName));
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void an_image_neither_present_nor_mapped_is_refused_at_check_naming_it() {
        TrainingBackend backend = backend(Map.of("container-images", "*/pytorch-training:*=localhost/vernier-absent:1"));
        assertThatThrownBy(() -> backend.check(job("completes.sh").image("localhost/vernier-no-such-image:7").build()))
                .isInstanceOf(UnsupportedImageException.class)
                .hasMessageContaining("TrainingImage 'localhost/vernier-no-such-image:7' is not an image of this server's "
                        + "container engine (podman)").hasMessageContaining("container-images");
        assertThatThrownBy(() -> backend.check(job("completes.sh")
                .image("763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.0.0-cpu-py310").build()))
                .isInstanceOf(UnsupportedImageException.class)
                .hasMessageContaining("(mapped to 'localhost/vernier-absent:1')");
    }

    @Test
    void a_mapped_framework_image_runs_as_image_train_with_opt_ml_mounted_and_the_container_is_removed() {
        TrainingBackend backend = backend(Map.of("container-images",
                "*/pytorch-training:*=" + TestImages.image("prints_contract.sh")));
        var job = job("prints_contract.sh").image("763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.0.0-cpu-py310")
                .hyperParameters(Map.of("alpha", "1"));

        ObservedRun run = run(backend, job);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(log(backend, run)).contains("args: train", "SM_HPS: {\"alpha\":\"1\"}", "SM_MODEL_DIR: a directory",
                "\"model_dir\":\"/opt/ml/model\"");
        assertThat(containersOf(job.name())).isEmpty();
    }

    @Test
    void exit_codes_and_output_failure_are_as_for_local_programs() {
        TrainingBackend backend = backend(Map.of());
        ObservedRun withReason = run(backend, job("exits_with.sh").hyperParameters(Map.of("code", "3", "reason", "bad data")));
        ObservedRun plain = run(backend, job("exits_with.sh").hyperParameters(Map.of("code", "5")));
        ObservedRun zero = run(backend, job("exits_with.sh").hyperParameters(Map.of("code", "0")));

        assertThat(withReason.result().status()).isEqualTo(Status.FAILED);
        assertThat(withReason.result().failureReason()).isEqualTo("bad data");
        assertThat(plain.result().status()).isEqualTo(Status.FAILED);
        assertThat(plain.result().failureReason()).contains("exited with code 5").contains("exiting with 5");
        assertThat(zero.result().status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void the_instance_type_sets_cpu_and_memory_limits_from_the_table() {
        TrainingBackend backend = backend(Map.of("container-instance-types", "ml.m5.large=1/0.5"));
        ObservedRun limited = run(backend, job("prints_limits.sh").instanceType("ml.m5.large"));
        ObservedRun unlisted = run(backend, job("prints_limits.sh").instanceType("ml.c5.xlarge"));

        assertThat(log(backend, limited)).contains("SM_NUM_CPUS=1 SM_NUM_GPUS=0", "cpu.max=100000 100000",
                "memory.max=536870912", "\"current_instance_type\":\"ml.m5.large\"");
        assertThat(log(backend, unlisted)).contains("SM_NUM_CPUS=" + Runtime.getRuntime().availableProcessors())
                .doesNotContain("memory.max=536870912").doesNotContain("cpu.max=100000 100000");
    }

    @Test
    void with_network_isolation_the_program_cannot_reach_the_host_and_without_it_it_can() throws Exception {
        TrainingBackend backend = backend(Map.of());
        String host = hostAddress();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        server.accept().close();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            Map<String, String> hps = Map.of("host", host, "port", Integer.toString(server.getLocalPort()));
            ObservedRun open = run(backend, job("reaches_host.sh").hyperParameters(hps));
            ObservedRun isolated = run(backend, job("reaches_host.sh").hyperParameters(hps).networkIsolation());

            assertThat(log(backend, open)).contains("connected");
            assertThat(open.result().status()).isEqualTo(Status.COMPLETED);
            assertThat(log(backend, isolated)).contains("no network");
            assertThat(isolated.result().status()).isEqualTo(Status.FAILED);
        }
    }

    @Test
    void a_container_that_ignores_sigterm_is_killed_and_removed_after_the_grace_period() {
        TrainingBackend backend = backend(Map.of());
        var job = job("ignores_term.sh");
        ObservedRun run = new ObservedRun(backend.launch(job.build()).handle())
                .pollUntil(backend, PATIENCE, r -> !r.values("loss").isEmpty());
        run.stop(backend, StopCause.USER_REQUEST).pollToEnd(backend, PATIENCE);

        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(containersOf(job.name())).isEmpty();
    }

    @Test
    void max_runtime_counts_from_the_containers_start_not_from_the_launch() throws Exception {
        TrainingBackend backend = backend(Map.of());
        var job = job("sleeps.sh").maxRuntimeSeconds(2);

        ObservedRun run = run(backend, job);

        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.result().secondaryStatus()).isEqualTo(dev.vernier.core.training.RunResult.SecondaryStatus.MAX_RUNTIME_EXCEEDED);
        var jobDir = new dev.vernier.training.jobdir.JobDirectory(dir.resolve("data/jobs").resolve(job.name()));
        java.time.Instant launched = dev.vernier.training.run.LaunchRecord.read(jobDir).launchTime();
        java.time.Instant started = java.time.Instant.parse(java.nio.file.Files.readString(jobDir.state("container-started")).strip());
        java.time.Instant stopAsked = dev.vernier.training.run.StopRequest.read(jobDir).at();
        assertThat(started).isAfter(launched);
        assertThat(Duration.between(started, stopAsked)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"podman", "docker"})
    void the_engine_tells_when_a_container_started_and_nothing_for_one_not_started(String engineName) {
        TestImages images = TestImages.on(engineName);
        ContainerEngine engine = images.engineWithImages();
        String name = "vernier-test-started-" + JOBS.incrementAndGet() + "-" + ProcessHandle.current().pid();
        try {
            assertThat(engine.run(List.of("create", "--name", name, images.imageOf("sleeps.sh"), "train")).exit()).isZero();
            assertThat(engine.startedAt(name)).isEmpty();
            java.time.Instant before = java.time.Instant.now().minusSeconds(1);   // the engine's clock may round
            assertThat(engine.run(List.of("start", name)).exit()).isZero();
            assertThat(engine.startedAt(name)).hasValueSatisfying(at ->
                    assertThat(at).isBetween(before, java.time.Instant.now()));
        } finally {
            engine.remove(name);
        }
        assertThat(engine.startedAt(name)).isEmpty();
    }

    /** An address of this machine that a container on the engine's default network reaches. */
    private static String hostAddress() throws Exception {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList())
            if (nic.isUp() && !nic.isLoopback())
                for (InetAddress a : nic.inetAddresses().toList())
                    if (a instanceof Inet4Address) return a.getHostAddress();
        throw new IllegalStateException("no IPv4 address on this machine");
    }
}
