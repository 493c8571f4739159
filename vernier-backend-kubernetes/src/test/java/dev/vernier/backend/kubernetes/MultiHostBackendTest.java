package dev.vernier.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job of several hosts against fabric8's mock API server, with {@link MockCluster} playing the Job
 * controller and the kubelet for each host's Job: launching (and completing a launch cut short),
 * every host's log and metrics, a failing or lost host, stop and MaxRuntimeInSeconds, clean-up.
 */
class MultiHostBackendTest {
    private static final Duration GRACE = Duration.ofSeconds(7);
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path dir;
    private MockCluster cluster;
    private TrainingBackendFactory.Context context;
    private final MutableClock clock = new MutableClock(T0);
    private final List<TrainingBackend> backends = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        context = MockCluster.context(dir, clock, GRACE, Map.of("kubernetes-instance-types", "ml.m5.large=3/9Gi"));
    }

    @AfterEach
    void stop() {
        backends.forEach(TrainingBackend::close);
        cluster.close();
    }

    private TrainingBackend newBackend() {
        TrainingBackend backend = cluster.backend(context);
        backends.add(backend);
        return backend;
    }

    private static TrainingJobSpec spec(String name, int hosts, long maxRuntime) {
        return new TrainingJobSpec(name, "arn:aws:sagemaker:us-east-1:000000000000:training-job/" + name, "tune-1",
                "registry.example:5000/team/xgb:1.7", "File", Map.of("eta", "0.3"), Map.of(),
                List.of(new MetricDefinition("train:loss", "train_loss=([0-9.]+)")), List.of(), "s3://models/out",
                new TrainingJobSpec.Resources("ml.m5.large", hosts, 10), maxRuntime, false);
    }

    private static void assertStoppedForMaxRuntime(RunObservation end) {
        assertThat(end.result().status()).isEqualTo(Status.STOPPED);
        assertThat(end.result().secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
    }

    private Job hostJob(String name, int k) {
        return cluster.hostJob(name, "algo-" + k);
    }

    private String log(TrainingBackend backend, RunHandle handle) {
        return new String(backend.readLog(handle, 0, 1 << 20).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void launch_creates_the_service_then_every_hosts_job_algo_1_last_and_launching_again_adopts_them() {
        TrainingBackend backend = newBackend();
        cluster.recording = true;
        RunHandle handle = backend.launch(spec("Dist", 3, 3600)).handle();
        cluster.recording = false;

        String name = JobSpecs.name("Dist");
        List<String> creates = cluster.requests.stream().filter(r -> r.startsWith("POST ")).toList();
        assertThat(creates).hasSize(5);
        assertThat(creates.get(0)).contains("/configmaps");
        assertThat(creates.get(1)).contains("/services");
        assertThat(creates.subList(2, 5)).allSatisfy(r -> assertThat(r).contains("/jobs"));
        // the Jobs' names are in their bodies; their order shows in the creation: algo-1 last
        List<Job> jobs = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems();
        assertThat(jobs).extracting(j -> j.getMetadata().getName())
                .containsExactlyInAnyOrder(name + "-algo-1", name + "-algo-2", name + "-algo-3");
        assertThat(Integer.parseInt(hostJob("Dist", 1).getMetadata().getResourceVersion()))
                .isGreaterThan(Integer.parseInt(hostJob("Dist", 2).getMetadata().getResourceVersion()));
        assertThat(cluster.client.services().inNamespace(MockCluster.NAMESPACE).withName("hosts-" + name).get()
                .getSpec().getClusterIP()).isEqualTo("None");

        String uid = hostJob("Dist", 2).getMetadata().getUid();
        assertThat(newBackend().launch(spec("Dist", 3, 3600)).handle()).isEqualTo(handle);
        assertThat(hostJob("Dist", 2).getMetadata().getUid()).isEqualTo(uid);
        assertThat(KubernetesRun.of(handle).hosts()).isEqualTo(3);
    }

    @Test
    void a_launch_cut_short_is_completed_by_a_new_server_without_creating_a_job_twice() {
        TrainingJobSpec spec = spec("Half", 3, 3600);
        var shape = new InstanceTypes.Shape(3, "9Gi", 0);
        Instant crashedAt = T0.minusSeconds(30);
        // the first server made the ConfigMap, the Service and algo-3's Job, then stopped
        cluster.client.resource(JobSpecs.configMap(spec, MockCluster.NAMESPACE, shape)).create();
        cluster.client.resource(JobSpecs.hostService(spec, MockCluster.NAMESPACE)).create();
        Job third = JobSpecs.jobs(spec, MockCluster.NAMESPACE, shape, GRACE, 3600, crashedAt, PodTaskSettings.NONE).get(2);
        String uid = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).resource(third).create()
                .getMetadata().getUid();

        var launched = newBackend().launch(spec);

        assertThat(hostJob("Half", 3).getMetadata().getUid()).isEqualTo(uid);
        for (int k = 1; k <= 3; k++)
            assertThat(hostJob("Half", k).getMetadata().getAnnotations()).containsEntry(JobSpecs.LAUNCH_TIME, crashedAt.toString());
        assertThat(launched.startedAt()).isEqualTo(crashedAt);
        assertThat(cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems()).hasSize(3);
    }

    @Test
    void every_hosts_log_reaches_the_job_in_whole_lines_metrics_from_all_and_a_new_server_goes_on() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("logs", 2, 3600)).handle();
        String first = cluster.startHostPod("logs", "algo-1");
        String second = cluster.startHostPod("logs", "algo-2");
        cluster.running(first);
        cluster.running(second);
        cluster.print(first, "one from algo-1\ntrain_loss=1\nhalf a li");
        cluster.print(second, "train_loss=2\n");

        RunObservation seen = backend.poll(handle);

        assertThat(seen.phase()).isEqualTo(Phase.RUNNING);
        assertThat(seen.newPoints()).extracting(MetricPoint::value).containsExactlyInAnyOrder(1.0, 2.0);
        assertThat(log(backend, seen.handle())).contains("one from algo-1\n", "train_loss=1\n", "train_loss=2\n")
                .doesNotContain("half a li");

        // a new server goes on from the stored handle: no point lost or repeated, the half line whole
        TrainingBackend restarted = newBackend();
        cluster.print(first, "ne\ntrain_loss=3\n");
        cluster.print(second, "train_loss=4\n");
        RunObservation more = restarted.poll(seen.handle());
        assertThat(more.newPoints()).extracting(MetricPoint::value).containsExactlyInAnyOrder(3.0, 4.0);
        assertThat(log(restarted, more.handle())).contains("half a line\n").containsOnlyOnce("train_loss=1");

        cluster.exit(first, 0, "Completed", null);
        RunObservation waiting = restarted.poll(more.handle());
        assertThat(waiting.phase()).as("algo-2 still runs").isEqualTo(Phase.RUNNING);
        cluster.print(second, "last words");
        cluster.exit(second, 0, "Completed", null);
        RunObservation end = restarted.poll(waiting.handle());

        assertThat(end.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(log(restarted, end.handle())).endsWith("last words\n");
        String service = "hosts-" + JobSpecs.name("logs");
        assertThat(cluster.client.services().inNamespace(MockCluster.NAMESPACE).withName(service).get()).isNull();
        assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).withName(JobSpecs.name("logs")).get()).isNull();
        assertThat(hostJob("logs", 1)).as("kept for its TTL").isNotNull();
    }

    @Test
    void the_jobs_log_and_each_hosts_own_keep_their_head_and_tail_within_the_cap_and_metrics_come_from_all() throws Exception {
        TrainingBackend backend = cluster.backend(new TrainingBackendFactory.Context(context.settings(), context.dataDir(),
                context.objectStore(), clock, GRACE, 4096));
        backends.add(backend);
        RunHandle handle = backend.launch(spec("capped", 2, 3600)).handle();
        List<String> pods = List.of(cluster.startHostPod("capped", "algo-1"), cluster.startHostPod("capped", "algo-2"));
        List<Double> values = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 2; k++) {
                cluster.running(pods.get(k));
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < 500; i++) text.append("train_loss=").append(k).append(" padding padding padding padding\n");
                cluster.print(pods.get(k), text.toString());
            }
            RunObservation o = backend.poll(handle);
            handle = o.handle();
            o.newPoints().forEach(p -> values.add(p.value()));
        }
        for (String pod : pods) cluster.exit(pod, 0, "Completed", null);
        RunObservation end = backend.poll(handle);
        end.newPoints().forEach(p -> values.add(p.value()));

        assertThat(end.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(values).hasSize(2 * 2000).containsOnly(0.0, 1.0);   // parsed from everything (under the per-poll cap of points)
        String log = log(backend, end.handle());
        assertThat(log).contains("the log reached its cap of 4096 bytes");
        Path run = dir.resolve("data/kubernetes").resolve(JobSpecs.name("capped"))
                .resolve(Long.toString(KubernetesRun.of(end.handle()).launchTime().toEpochMilli()));
        for (String host : List.of("algo-1", "algo-2")) {
            Path own = run.resolve("hosts").resolve(host).resolve("vernier/training.log");
            assertThat(java.nio.file.Files.size(own)).as(host).isLessThan(4096 + 70 * 1024);
            assertThat(java.nio.file.Files.readString(own)).startsWith("train_loss=").contains("the log reached its cap");
        }
    }

    @Test
    void a_failing_host_fails_the_job_naming_it_and_the_other_hosts_jobs_are_deleted_with_the_grace_period() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("fails", 3, 3600)).handle();
        List<String> pods = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            pods.add(cluster.startHostPod("fails", "algo-" + k));
            cluster.running(pods.getLast());
        }
        handle = backend.poll(handle).handle();
        cluster.print(pods.get(1), "reading shard\ntraceback: boom\n");
        cluster.exit(pods.get(1), 3, "Error", null);

        RunObservation failing = backend.poll(handle);
        assertThat(failing.phase()).as("until the other hosts have ended").isEqualTo(Phase.RUNNING);
        RunObservation end = newBackend().poll(failing.handle());   // a new server knows which host failed

        assertThat(end.result().status()).isEqualTo(Status.FAILED);
        assertThat(end.result().exitCode()).isEqualTo(3);
        assertThat(end.result().failureReason())
                .startsWith("AlgorithmError: host algo-2: the training program exited with code 3").contains("traceback: boom");
        assertThat(hostJob("fails", 1)).isNull();
        assertThat(hostJob("fails", 3)).isNull();
        assertThat(hostJob("fails", 2)).as("the failed host's Job is kept for its TTL").isNotNull();
        assertThat(cluster.deletes.stream().filter(d -> d.path().contains("/jobs/")))
                .hasSize(2).allSatisfy(d -> assertThat(d.body()).contains("\"gracePeriodSeconds\":7"));
        assertThat(cluster.client.services().inNamespace(MockCluster.NAMESPACE).withName("hosts-" + JobSpecs.name("fails")).get())
                .isNull();
    }

    @Test
    void a_failure_file_names_the_host_as_the_local_backend_does() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("file", 2, 3600)).handle();
        String first = cluster.startHostPod("file", "algo-1");
        String second = cluster.startHostPod("file", "algo-2");
        cluster.running(first);
        cluster.exit(second, 1, "Error", "ValueError: broken on algo-2");

        RunObservation end = backend.poll(backend.poll(handle).handle());

        assertThat(end.result().failureReason()).isEqualTo("ValueError: host algo-2: broken on algo-2");
    }

    @Test
    void a_stop_after_a_host_failed_does_not_hide_the_failure_and_hosts_outliving_the_grace_period_are_killed() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("late-stop", 2, 3600)).handle();
        String first = cluster.startHostPod("late-stop", "algo-1");
        String second = cluster.startHostPod("late-stop", "algo-2");
        cluster.running(first);
        cluster.exit(second, 2, "OOMKilled", null);
        RunObservation failing = backend.poll(handle);
        RunHandle stopping = backend.stop(failing.handle(), StopCause.USER_REQUEST);
        // algo-1 is still terminating (a real Job waits for its pod; the mock's goes at once): its Job is there again
        cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).resource(new io.fabric8.kubernetes.api.model.batch.v1
                .JobBuilder(cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE)
                        .withName(JobSpecs.name("late-stop") + "-algo-2").get())
                .editMetadata().withName(JobSpecs.name("late-stop") + "-algo-1").withResourceVersion(null).withUid(null)
                .addToLabels(JobSpecs.HOST, "algo-1").endMetadata().build()).create();
        clock.advance(GRACE);
        cluster.podDeleteGrace.clear();

        RunObservation killing = backend.poll(stopping);

        assertThat(killing.phase()).isEqualTo(Phase.RUNNING);
        assertThat(cluster.podDeleteGrace).containsEntry(first, 0L);
        // the mock deleted the pod at once: algo-1 has ended
        RunObservation end = backend.poll(killing.handle());
        assertThat(end.result().status()).isEqualTo(Status.FAILED);
        assertThat(end.result().failureReason()).startsWith("OutOfMemoryError: host algo-2: the training container was killed");
    }

    @Test
    void a_lost_host_is_an_internal_error_retried_and_every_hosts_job_is_deleted() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("lost", 2, 3600)).handle();
        String first = cluster.startHostPod("lost", "algo-1");
        String second = cluster.startHostPod("lost", "algo-2");
        cluster.running(first);
        cluster.running(second);
        cluster.evict(second);

        RunObservation end = backend.poll(handle);

        assertThat(end.phase()).isEqualTo(Phase.VANISHED);
        assertThat(end.detail()).contains("host algo-2", "Evicted");
        assertThat(hostJob("lost", 1)).isNull();
        assertThat(hostJob("lost", 2)).isNull();
        // the retry launches every host anew
        newBackend().launch(spec("lost", 2, 3600));
        assertThat(hostJob("lost", 1)).isNotNull();
        assertThat(hostJob("lost", 2)).isNotNull();
    }

    @Test
    void stop_deletes_every_hosts_job_and_the_run_is_stopped_once_they_are_gone() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("stopped", 2, 3600)).handle();
        for (int k = 1; k <= 2; k++) cluster.running(cluster.startHostPod("stopped", "algo-" + k));
        handle = backend.poll(handle).handle();

        RunHandle stopping = backend.stop(handle, StopCause.USER_REQUEST);

        var jobDeletes = cluster.deletes.stream().filter(r -> r.path().contains("/jobs/")).toList();
        assertThat(jobDeletes).hasSize(2).allSatisfy(d -> assertThat(d.body())
                .contains("\"gracePeriodSeconds\":7", "\"propagationPolicy\":\"Foreground\""));
        RunObservation end = backend.poll(stopping);
        assertThat(end.result().status()).isEqualTo(Status.STOPPED);
        assertThat(end.result().secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
    }

    @Test
    void max_runtime_stops_every_host() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("slow", 2, 60)).handle();
        for (int k = 1; k <= 2; k++) cluster.running(cluster.startHostPod("slow", "algo-" + k));
        clock.advance(Duration.ofSeconds(59));
        RunObservation running = backend.poll(handle);
        assertThat(running.phase()).isEqualTo(Phase.RUNNING);

        clock.advance(Duration.ofSeconds(1));
        RunObservation stopping = backend.poll(running.handle());

        assertThat(stopping.phase()).isEqualTo(Phase.STOPPING);
        assertThat(hostJob("slow", 1)).isNull();
        assertThat(hostJob("slow", 2)).isNull();
        assertStoppedForMaxRuntime(backend.poll(stopping.handle()));
    }

    @Test
    void a_host_ended_by_its_active_deadline_backstop_stops_every_host_as_max_runtime_exceeded() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("backstop", 2, 3600)).handle();
        for (int k = 1; k <= 2; k++) cluster.running(cluster.startHostPod("backstop", "algo-" + k));
        cluster.deadlineExceeded(hostJob("backstop", 2));

        RunObservation stopping = backend.poll(handle);

        assertThat(stopping.phase()).isEqualTo(Phase.STOPPING);
        assertThat(hostJob("backstop", 1)).isNull();
        assertStoppedForMaxRuntime(backend.poll(stopping.handle()));
    }

    @Test
    void a_hosts_job_deleted_by_someone_else_is_an_internal_error() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("gone", 2, 3600)).handle();
        for (int k = 1; k <= 2; k++) cluster.running(cluster.startHostPod("gone", "algo-" + k));
        cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName(JobSpecs.name("gone") + "-algo-2").delete();

        RunObservation end = backend.poll(handle);

        assertThat(end.phase()).isEqualTo(Phase.VANISHED);
        assertThat(end.detail()).contains("algo-2");
        assertThat(hostJob("gone", 1)).isNull();
    }
}
