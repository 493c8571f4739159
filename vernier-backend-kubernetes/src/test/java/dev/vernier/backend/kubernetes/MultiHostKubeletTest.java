package dev.vernier.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.objectstore.s3.S3ObjectStore;
import dev.vernier.objectstore.s3.S3ProtocolServer;
import dev.vernier.objectstore.s3.S3Settings;
import dev.vernier.testkit.training.JobSpecBuilder;
import dev.vernier.testkit.training.TarEntries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs of several hosts through {@link Kubelet}: every host's pod runs as local processes (the
 * testkit's {@code multihost.py} as the training image, Vernier's pod tasks staging from and
 * uploading to a real S3 endpoint), the hosts find each other by name through the kubelet's
 * stand-in for the headless Service's DNS, and the backend launches, polls, stops and merges them.
 */
class MultiHostKubeletTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "multihost-key";
    private static final String SECRET = "multihost-secret";
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @TempDir
    Path dir;
    private S3ProtocolServer s3;
    private S3ObjectStore store;
    private MockCluster cluster;
    private Kubelet kubelet;
    private TrainingBackend backend;

    @BeforeEach
    void start() throws Exception {
        Path objects = Files.createDirectories(dir.resolve("objects"));
        for (String bucket : new String[] {"contract-data", "contract-models"}) Files.createDirectories(objects.resolve(bucket));
        for (int i = 0; i < 7; i++) write(objects.resolve("contract-data/train/part-" + i + ".csv"), "row " + i);
        write(objects.resolve("contract-data/eval/a.csv"), "a");
        write(objects.resolve("contract-data/eval/b.csv"), "b");
        s3 = S3ProtocolServer.start(objects, "127.0.0.1", 0, KEY, SECRET);
        store = S3ObjectStore.open(S3Settings.of(s3.endpoint(), "us-east-1", KEY, SECRET));
        cluster = new MockCluster();
        cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("vernier-s3").endMetadata()
                .addToData("AWS_ACCESS_KEY_ID", base64(KEY)).addToData("AWS_SECRET_ACCESS_KEY", base64(SECRET)).build())
                .create();
        kubelet = new Kubelet(cluster, KubernetesTrainingBackendContractTest.TestImages::image,
                Files.createDirectories(dir.resolve("pods")));
        var context = new TrainingBackendFactory.Context(Map.of("kubernetes-namespace", MockCluster.NAMESPACE,
                "kubernetes-image", KubernetesTrainingBackendContractTest.VERNIER_IMAGE,
                "kubernetes-s3-endpoint", s3.endpoint().toString(), "kubernetes-s3-secret", "vernier-s3"),
                dir.resolve("data"), store, Clock.systemUTC(), Duration.ofSeconds(2), 1 << 20);
        backend = cluster.backend(context);
    }

    @AfterEach
    void close() throws Exception {
        backend.close();
        kubelet.close();
        cluster.close();
        store.close();
        s3.close();
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JobSpecBuilder job(String name, int hosts, Map<String, String> hyperParameters) {
        return JobSpecBuilder.named(name, KubernetesTrainingBackendContractTest.TestImages.training("multihost.py"))
                .instanceCount(hosts).hyperParameters(hyperParameters);
    }

    /** The observations of a run polled until {@code until} holds for the last, or it has ended. */
    private record Polled(RunHandle handle, RunObservation last, List<MetricPoint> points) {
        List<Double> values(String metric) {
            return points.stream().filter(p -> p.name().equals(metric)).map(MetricPoint::value).toList();
        }
    }

    private Polled poll(RunHandle handle, Predicate<RunObservation> until) throws InterruptedException {
        List<MetricPoint> points = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            RunObservation o = backend.poll(handle);
            handle = o.handle();
            points.addAll(o.newPoints());
            if (o.isTerminal() || until.test(o)) return new Polled(handle, o, points);
            if (System.nanoTime() > deadline)
                throw new AssertionError("still " + o.phase() + " after " + PATIENCE + "; log:\n" + log(handle));
            Thread.sleep(200);
        }
    }

    private String log(RunHandle handle) {
        return new String(backend.readLog(handle, 0, 1 << 22).bytes(), StandardCharsets.UTF_8);
    }

    private List<io.fabric8.kubernetes.api.model.Pod> pods(String trainingJob) {
        return cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withLabel(JobSpecs.TRAINING_JOB, trainingJob)
                .list().getItems();
    }

    @Test
    void three_hosts_reach_each_other_by_name_each_with_its_shard_and_their_models_are_merged() throws Exception {
        TrainingJobSpec spec = job("three-hosts", 3, Map.of("port", "47411"))
                .channels(new InputChannel("train", "s3://contract-data/train/", null, "ShardedByS3Key", null, null, null, null),
                        InputChannel.of("eval", "s3://contract-data/eval/"))
                .build();

        Polled run = poll(backend.launch(spec).handle(), o -> false);

        String log = log(run.handle());
        assertThat(run.last().result().status()).as(log).isEqualTo(Status.COMPLETED);
        for (String host : List.of("algo-1", "algo-2", "algo-3"))
            assertThat(log).containsPattern("host " + host + " of \\['algo-1', 'algo-2', 'algo-3'\\] at 127\\.88\\.");
        assertThat(log.lines().filter(l -> l.startsWith("reached "))).hasSize(6);
        assertThat(log.lines().filter(l -> l.startsWith("heard from "))).containsExactlyInAnyOrder(
                "heard from algo-2,algo-3", "heard from algo-1,algo-3", "heard from algo-1,algo-2");
        assertThat(run.values("loss")).containsExactlyInAnyOrder(0.0, 1.0, 2.0);   // every host's lines are parsed
        assertThat(run.last().result().modelArtifactUri()).isEqualTo("s3://contract-models/out/three-hosts/output/model.tar.gz");

        Map<String, byte[]> model = TarEntries.files(dir.resolve("objects/contract-models/out/three-hosts/output/model.tar.gz"));
        assertThat(new String(model.get("written-by"), StandardCharsets.UTF_8)).isEqualTo("algo-1");   // algo-1 wins
        var shards = List.of(List.of("part-0.csv", "part-3.csv", "part-6.csv"), List.of("part-1.csv", "part-4.csv"),
                List.of("part-2.csv", "part-5.csv"));
        for (int k = 1; k <= 3; k++) {
            var seen = JSON.readTree(model.get("algo-" + k + ".json"));
            assertThat(JSON.convertValue(seen.get("train"), List.class)).as("algo-" + k).isEqualTo(shards.get(k - 1));
            assertThat(JSON.convertValue(seen.get("eval"), List.class)).as("algo-" + k).isEqualTo(List.of("a.csv", "b.csv"));
            assertThat(dir.resolve("objects/contract-models/out/three-hosts/host-output/algo-" + k + "/model.tar.gz"))
                    .as("each host's own upload").exists();
        }
        assertThat(TarEntries.files(dir.resolve("objects/contract-models/out/three-hosts/output/output.tar.gz"))).isEmpty();
        assertThat(cluster.client.services().inNamespace(MockCluster.NAMESPACE)
                .withName(JobSpecs.serviceName("three-hosts")).get()).as("the Service is deleted").isNull();
        assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).withName(JobSpecs.name("three-hosts")).get())
                .isNull();
    }

    @Test
    void a_launch_cut_short_is_completed_by_a_new_backend_and_its_hosts_find_each_other() throws Exception {
        TrainingJobSpec spec = job("half-hosts", 2, Map.of("port", "47433")).build();
        var shape = new InstanceTypes.Shape(2, "8Gi", 0);
        var tasks = new PodTaskSettings(KubernetesTrainingBackendContractTest.VERNIER_IMAGE, s3.endpoint().toString(),
                "us-east-1", "vernier-s3");
        java.time.Instant crashedAt = java.time.Instant.now().minusSeconds(5);
        // a server made the ConfigMap, the Service and algo-2's Job, then stopped: algo-2 runs and waits for algo-1
        cluster.client.resource(JobSpecs.configMap(spec, MockCluster.NAMESPACE, shape)).create();
        cluster.client.resource(JobSpecs.hostService(spec, MockCluster.NAMESPACE)).create();
        String uid = cluster.client.resource(JobSpecs.jobs(spec, MockCluster.NAMESPACE, shape, Duration.ofSeconds(2), 3600,
                crashedAt, tasks).get(1)).create().getMetadata().getUid();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (pods("half-hosts").isEmpty()) {
            assertThat(System.nanoTime()).as("algo-2's pod").isLessThan(deadline);
            Thread.sleep(100);
        }

        var launched = backend.launch(spec);
        Polled run = poll(launched.handle(), o -> false);

        String log = log(run.handle());
        assertThat(run.last().result().status()).as(log).isEqualTo(Status.COMPLETED);
        assertThat(launched.startedAt()).isEqualTo(crashedAt);
        assertThat(cluster.hostJob("half-hosts", "algo-2").getMetadata().getUid()).isEqualTo(uid);
        assertThat(log.lines().filter(l -> l.startsWith("heard from "))).containsExactlyInAnyOrder(
                "heard from algo-2", "heard from algo-1");
        assertThat(run.values("loss")).containsExactlyInAnyOrder(0.0, 1.0);
    }

    @Test
    void a_failing_host_fails_the_job_and_the_other_hosts_pods_are_ended() throws Exception {
        TrainingJobSpec spec = job("one-fails", 2, Map.of("fail_host", "algo-2")).build();

        Polled run = poll(backend.launch(spec).handle(), o -> false);

        assertThat(run.last().result().status()).as(log(run.handle())).isEqualTo(Status.FAILED);
        assertThat(run.last().result().failureReason()).isEqualTo("host algo-2: broken on algo-2");
        var other = cluster.hostJob("one-fails", "algo-1");
        assertThat(other == null || other.getMetadata().getDeletionTimestamp() != null).as("algo-1's Job is being deleted").isTrue();
        awaitNoPodOf("one-fails", "algo-1");   // it ignores SIGTERM (PID 1 without a handler): killed after the grace period
    }

    @Test
    void stop_reaches_every_host() throws Exception {
        TrainingJobSpec spec = job("stopped-hosts", 2, Map.of("fail_host", "nobody")).build();
        Polled waiting = poll(backend.launch(spec).handle(),
                o -> log(o.handle()).contains("waiting on algo-1") && log(o.handle()).contains("waiting on algo-2"));

        RunHandle stopping = backend.stop(waiting.handle(), StopCause.USER_REQUEST);
        Polled end = poll(stopping, o -> false);

        assertThat(end.last().result().status()).isEqualTo(Status.STOPPED);
        assertThat(end.last().result().secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
        assertThat(pods("stopped-hosts")).isEmpty();
        assertThat(cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void max_runtime_stops_every_host() throws Exception {
        TrainingJobSpec spec = job("slow-hosts", 2, Map.of("fail_host", "nobody")).maxRuntimeSeconds(15).build();

        Polled end = poll(backend.launch(spec).handle(), o -> false);

        assertThat(end.last().result().status()).as(log(end.handle())).isEqualTo(Status.STOPPED);
        assertThat(end.last().result().secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
        assertThat(log(end.handle())).contains("waiting on algo-1", "waiting on algo-2");
        assertThat(pods("slow-hosts")).isEmpty();
    }

    private void awaitNoPodOf(String trainingJob, String host) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (pods(trainingJob).stream().anyMatch(p -> host.equals(p.getMetadata().getLabels().get(JobSpecs.HOST)))) {
            assertThat(System.nanoTime()).as("the pod of " + host + " is still there").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
