package dev.vernier.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.testkit.Programs;
import dev.vernier.training.hosts.HostNamespaces;
import dev.vernier.training.jobdir.HostDirectories;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import dev.vernier.training.wrapper.Wrapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Jobs of several hosts on the real cluster: one allocation of N nodes, host algo-k on node k. */
@ExtendWith(SlurmCluster.class)
class SlurmMultiHostTest {
    @TempDir
    Path dir;
    TrainingBackend backend;

    @BeforeEach
    void hostsArePossibleHere() {
        Assumptions.assumeTrue(HostNamespaces.detect().prefix != null, () -> HostNamespaces.detect().problem);
        SlurmCluster.cancelAfterEach(dir);
        backend = SlurmTrainingBackendContractTest.SLURM.create(new TrainingBackendFactory.Context(Map.of(),
                dir.resolve("data"), new DirectoryObjectStore(dir.resolve("objects")), Clock.systemUTC(),
                Duration.ofSeconds(1), 1 << 20));
    }

    @Test
    void two_hosts_on_two_nodes_reach_each_other_by_name_and_the_job_completes_with_both_hosts_metrics() throws Exception {
        var spec = job("port", "47311");
        var run = pollToEnd(backend.launch(spec));

        String log = log(run.last);
        assertThat(run.last.result().status()).as(log).isEqualTo(RunResult.Status.COMPLETED);
        assertThat(log).contains("host algo-1 of ['algo-1', 'algo-2']", "host algo-2 of ['algo-1', 'algo-2']",
                "reached algo-2", "reached algo-1", "heard from algo-2", "heard from algo-1");
        // one host per node of the allocation, in its order
        assertThat(log).contains("slurm node of algo-1: nodeA", "slurm node of algo-2: nodeB");
        assertThat(run.points.stream().map(MetricPoint::value)).containsExactlyInAnyOrder(0.0, 1.0);
        var job = new JobDirectory(Path.of(dirOf(run.last.handle())));
        for (String host : List.of("algo-1", "algo-2"))
            assertThat(Files.readString(HostDirectories.of(job, host).log())).as(host).contains("heard from");
        assertThat(dir.resolve("objects/slurm-models/out/" + spec.trainingJobName() + "/output/model.tar.gz")).exists();
    }

    @Test
    void one_host_failing_fails_the_job_and_the_other_host_is_stopped_with_sigterm() throws Exception {
        var spec = job("port", "47312", "fail_host", "algo-2");
        var run = pollToEnd(backend.launch(spec));

        assertThat(run.last.result().status()).as(log(run.last)).isEqualTo(RunResult.Status.FAILED);
        assertThat(run.last.result().failureReason()).isEqualTo("host algo-2: broken on algo-2");
        var job = new JobDirectory(Path.of(dirOf(run.last.handle())));
        assertThat(Wrapper.readExit(HostDirectories.of(job, "algo-2")).code()).isEqualTo(3);
        assertThat(Wrapper.readExit(HostDirectories.of(job, "algo-1")).code()).isEqualTo(143);   // waited forever
    }

    @Test
    void hosts_that_ignore_sigterm_after_one_failed_are_killed_after_the_grace_period() throws Exception {
        var spec = job("port", "47314", "fail_host", "algo-1", "ignore_term", "true");   // grace period 1 s
        var run = pollToEnd(backend.launch(spec));

        assertThat(run.last.result().status()).as(log(run.last)).isEqualTo(RunResult.Status.FAILED);
        assertThat(run.last.result().failureReason()).isEqualTo("host algo-1: broken on algo-1");
        assertThat(SlurmCluster.run("squeue", "--noheader", "--name=" + spec.trainingJobName()).out()).isBlank();
    }

    @Test
    void a_stop_reaches_every_host() throws Exception {
        var spec = job("port", "47313", "fail_host", "none");   // every host waits to be stopped
        LaunchedRun launched = backend.launch(spec);
        var handle = launched.handle();
        Instant deadline = Instant.now().plusSeconds(90);
        while (!log(dirOf(handle)).contains("waiting on algo-2") || !log(dirOf(handle)).contains("waiting on algo-1")) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("the hosts did not start: " + log(dirOf(handle)));
            handle = backend.poll(handle).handle();
            Thread.sleep(100);
        }
        handle = backend.stop(handle, dev.vernier.core.training.StopCause.USER_REQUEST);
        var run = pollToEnd(new LaunchedRun(handle, launched.startedAt(), null));

        assertThat(run.last.result().status()).isEqualTo(RunResult.Status.STOPPED);
        var job = new JobDirectory(Path.of(dirOf(run.last.handle())));
        for (String host : List.of("algo-1", "algo-2"))
            assertThat(Wrapper.readExit(HostDirectories.of(job, host)).code()).as(host).isEqualTo(143);
    }

    @Test
    void max_runtime_reaches_every_host() throws Exception {
        var spec = job(3, "port", "47315", "fail_host", "none");   // every host waits to be stopped
        var run = pollToEnd(backend.launch(spec));

        assertThat(run.last.result().status()).as(log(run.last)).isEqualTo(RunResult.Status.STOPPED);
        assertThat(run.last.result().secondaryStatus()).isEqualTo(RunResult.SecondaryStatus.MAX_RUNTIME_EXCEEDED);
        var job = new JobDirectory(Path.of(dirOf(run.last.handle())));
        for (String host : List.of("algo-1", "algo-2"))
            assertThat(Wrapper.readExit(HostDirectories.of(job, host)).code()).as(host).isEqualTo(143);
    }

    @Test
    void a_restarted_server_follows_the_job_on_without_submitting_it_again() throws Exception {
        var spec = job("port", "47316");
        LaunchedRun launched = backend.launch(spec);
        backend.close();   // the server stops (after sbatch answered); another takes the stored handle on
        backend = SlurmTrainingBackendContractTest.SLURM.create(new TrainingBackendFactory.Context(Map.of(),
                dir.resolve("data"), new DirectoryObjectStore(dir.resolve("objects")), Clock.systemUTC(),
                Duration.ofSeconds(1), 1 << 20));
        var run = pollToEnd(launched);

        assertThat(run.last.result().status()).as(log(run.last)).isEqualTo(RunResult.Status.COMPLETED);
        assertThat(run.points.stream().map(MetricPoint::value)).containsExactlyInAnyOrder(0.0, 1.0);
        assertThat(SlurmCluster.run("squeue", "--noheader", "--states=all", "--name=" + spec.trainingJobName(),
                "--format=%i").out().strip().lines()).hasSize(1);
    }

    private static TrainingJobSpec job(String... hyperParameters) {
        return job(300, hyperParameters);
    }

    private static TrainingJobSpec job(long maxRuntimeSeconds, String... hyperParameters) {
        String name = "slurm-mh-" + Long.toHexString(System.nanoTime()) + "-" + ProcessHandle.current().pid();
        Map<String, String> hps = new java.util.LinkedHashMap<>();
        for (int i = 0; i < hyperParameters.length; i += 2) hps.put(hyperParameters[i], hyperParameters[i + 1]);
        return new TrainingJobSpec(name, "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name, null,
                Programs.image("multihost.py"), "File", hps, Map.of(), List.of(new MetricDefinition("loss", "loss=([0-9.]+)")),
                List.of(), "s3://slurm-models/out", new TrainingJobSpec.Resources("ml.m5.large", 2, 10), maxRuntimeSeconds, false);
    }

    private record Ended(RunObservation last, List<MetricPoint> points) {}

    private Ended pollToEnd(LaunchedRun launched) throws InterruptedException {
        var handle = launched.handle();
        List<MetricPoint> points = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            RunObservation o = backend.poll(handle);
            points.addAll(o.newPoints());
            if (o.isTerminal()) return new Ended(o, points);
            handle = o.handle();
            Thread.sleep(100);
        }
        throw new AssertionError("the run did not end within 120 s: " + log(dirOf(handle)));
    }

    private static String dirOf(dev.vernier.core.training.RunHandle handle) {
        return SlurmRun.from(handle).jobDir();
    }

    private static String log(RunObservation o) {
        return log(dirOf(o.handle()));
    }

    private static String log(String jobDir) {
        try {
            return Files.readString(new JobDirectory(Path.of(jobDir)).log());
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
