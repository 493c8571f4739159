package dev.vernier.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend against fabric8's mock API server, with {@link MockCluster} playing the Job controller and kubelet. */
class KubernetesTrainingBackendTest {
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
        context = MockCluster.context(dir, clock, GRACE, Map.of("kubernetes-job-ttl-seconds", "600",
                "kubernetes-instance-types", "ml.m5.large=3/9Gi"));
    }

    @AfterEach
    void stop() {
        backends.forEach(TrainingBackend::close);
        cluster.close();
    }

    /** A new server process: a new backend, with a client of its own, on the same data directory. */
    private TrainingBackend newBackend() {
        TrainingBackend backend = cluster.backend(context);
        backends.add(backend);
        return backend;
    }

    private static KubernetesTrainingBackendFactory factory() {
        return (KubernetesTrainingBackendFactory) ServiceLoader.load(TrainingBackendFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.name().equals("kubernetes")).findFirst().orElseThrow();
    }

    static TrainingJobSpec spec(String name) {
        return spec(name, "ml.m5.large", false, List.of(), 3600);
    }

    private static TrainingJobSpec spec(String name, String instanceType, boolean isolated, List<InputChannel> channels,
                                        long maxRuntime) {
        return new TrainingJobSpec(name, "arn:aws:sagemaker:us-east-1:000000000000:training-job/" + name, "tune-1",
                "registry.example:5000/team/xgb:1.7", "File", Map.of("eta", "0.3", "max_depth", "6"),
                Map.of("MY_VARIABLE", "from the definition"),
                List.of(new MetricDefinition("train:loss", "train_loss=([0-9.]+)")), channels, "s3://models/out",
                new TrainingJobSpec.Resources(instanceType, 1, 10), maxRuntime, isolated);
    }

    @Test
    void a_training_job_becomes_a_job_a_configmap_and_a_networkpolicy_field_by_field() throws Exception {
        TrainingBackend backend = newBackend();
        TrainingJobSpec spec = spec("Tune-1-007-abc", "ml.g5.xlarge", true, List.of(), 3600);

        LaunchedRun launched = backend.launch(spec);

        String name = "tune-1-007-abc-" + JobSpecs.name("Tune-1-007-abc").substring(15);
        assertThat(JobSpecs.name("Tune-1-007-abc")).isEqualTo(name).matches("tune-1-007-abc-[0-9a-f]{12}");
        assertThat(JobSpecs.name("tune-1-007-abc")).isNotEqualTo(name);
        assertThat(launched.startedAt()).isEqualTo(T0);
        Job job = cluster.job("Tune-1-007-abc");
        Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "vernier",
                "vernier.dev/training-job", "Tune-1-007-abc", "vernier.dev/tuning-job", "tune-1");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("training");
        assertThat(job.getMetadata().getLabels()).isEqualTo(labels);
        assertThat(job.getMetadata().getAnnotations()).containsEntry("vernier.dev/launch-time", T0.toString())
                .containsEntry("vernier.dev/max-runtime-seconds", "3600")
                .containsEntry("vernier.dev/metric-definitions", "[{\"Name\":\"train:loss\",\"Regex\":\"train_loss=([0-9.]+)\"}]");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getCompletions()).isOne();
        assertThat(job.getSpec().getParallelism()).isOne();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600 + 7 + 60);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(labels);

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(7);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getHostname()).isEqualTo("algo-1");
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(pod.getInitContainers()).isEmpty();
        Container c = pod.getContainers().getFirst();
        assertThat(c.getName()).isEqualTo("training");
        assertThat(c.getImage()).isEqualTo("registry.example:5000/team/xgb:1.7");
        assertThat(c.getCommand()).isEmpty();
        assertThat(c.getArgs()).containsExactly("train");
        Map<String, Quantity> resources = Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"),
                "nvidia.com/gpu", new Quantity("1"));
        assertThat(c.getResources().getRequests()).isEqualTo(resources);
        assertThat(c.getResources().getLimits()).isEqualTo(resources);
        assertThat(c.getTerminationMessagePath()).isEqualTo("/opt/ml/output/failure");
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
        assertThat(c.getVolumeMounts()).extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
                .containsExactly("ml /opt/ml null", "ml /opt/ml/input/data null", "ml /opt/ml/model null",
                        "ml /opt/ml/output/data null", "config /opt/ml/input/config true");
        assertThat(c.getVolumeMounts()).extracting(m -> m.getSubPath())
                .containsExactly(null, "input/data", "model", "output/data", null);
        assertThat(pod.getVolumes()).hasSize(2);
        assertThat(pod.getVolumes().get(0).getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("10Gi"));   // VolumeSizeInGB
        assertThat(pod.getVolumes().get(1).getConfigMap().getName()).isEqualTo(name);
        Map<String, String> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("SM_HP_ETA", "0.3").containsEntry("SM_HP_MAX_DEPTH", "6")
                .containsEntry("SM_HPS", "{\"eta\":\"0.3\",\"max_depth\":\"6\"}")
                .containsEntry("SM_MODEL_DIR", "/opt/ml/model").containsEntry("SM_INPUT_DIR", "/opt/ml/input")
                .containsEntry("SM_INPUT_CONFIG_DIR", "/opt/ml/input/config").containsEntry("SM_OUTPUT_DIR", "/opt/ml/output")
                .containsEntry("SM_OUTPUT_DATA_DIR", "/opt/ml/output/data").containsEntry("SM_CHANNELS", "[]")
                .containsEntry("SM_HOSTS", "[\"algo-1\"]").containsEntry("SM_CURRENT_HOST", "algo-1")
                .containsEntry("SM_NUM_CPUS", "4").containsEntry("SM_NUM_GPUS", "1")
                .containsEntry("TRAINING_JOB_NAME", "Tune-1-007-abc")
                .containsEntry("TRAINING_JOB_ARN", "arn:aws:sagemaker:us-east-1:000000000000:training-job/Tune-1-007-abc")
                .containsEntry("MY_VARIABLE", "from the definition").containsKey("SM_TRAINING_ENV");
        assertThat(env.get("SM_TRAINING_ENV")).contains("\"job_name\":\"Tune-1-007-abc\"", "\"num_gpus\":1");

        ConfigMap config = cluster.client.configMaps().inNamespace("training").withName(name).get();
        assertThat(config.getMetadata().getLabels()).isEqualTo(labels);
        assertThat(config.getData()).containsOnlyKeys("hyperparameters.json", "resourceconfig.json", "inputdataconfig.json")
                .containsEntry("hyperparameters.json", "{\"eta\":\"0.3\",\"max_depth\":\"6\"}")
                .containsEntry("inputdataconfig.json", "{}");
        assertThat(config.getData().get("resourceconfig.json")).contains("\"current_host\":\"algo-1\"",
                "\"hosts\":[\"algo-1\"]", "\"current_instance_type\":\"ml.g5.xlarge\"");

        NetworkPolicy policy = cluster.client.network().v1().networkPolicies().inNamespace("training").withName(name).get();
        assertThat(policy.getMetadata().getLabels()).isEqualTo(labels);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("vernier.dev/training-job", "Tune-1-007-abc"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).isEmpty();
        assertThat(policy.getSpec().getEgress()).isEmpty();
    }

    @Test
    void instance_types_come_from_the_table_and_its_setting_and_no_policy_without_isolation() {
        newBackend().launch(spec("cpu-job"));   // ml.m5.large, overridden by the setting to 3/9Gi

        var c = cluster.job("cpu-job").getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getResources().getLimits()).isEqualTo(Map.of("cpu", new Quantity("3"), "memory", new Quantity("9Gi")));
        assertThat(cluster.client.network().v1().networkPolicies().inNamespace("training").list().getItems()).isEmpty();
        assertThat(InstanceTypes.of("").shape("ml.m5.large")).isEqualTo(new InstanceTypes.Shape(2, "8Gi", 0));
        assertThat(InstanceTypes.of("").shape("ml.p3.8xlarge")).isEqualTo(new InstanceTypes.Shape(32, "244Gi", 4));
        assertThatThrownBy(() -> InstanceTypes.of("ml.m5.large=two/8Gi")).hasMessageContaining("kubernetes-instance-types")
                .hasMessageContaining("ml.m5.large=two/8Gi");
    }

    @Test
    void launching_again_also_from_a_new_server_finds_the_job_already_created_and_creates_no_second() {
        TrainingBackend first = newBackend();
        LaunchedRun launched = first.launch(spec("once"));
        clock.advance(Duration.ofSeconds(5));

        assertThat(first.launch(spec("once"))).isEqualTo(launched);
        assertThat(newBackend().launch(spec("once"))).isEqualTo(launched);
        assertThat(cluster.client.batch().v1().jobs().inNamespace("training").list().getItems()).hasSize(1);
    }

    @Test
    void a_job_created_just_before_a_crash_is_adopted_not_created_twice() {
        // the crash: the Job was created, the handle never stored; the restarted server launches again
        Job made = JobSpecs.job(spec("crashed"), "training", new InstanceTypes.Shape(2, "8Gi", 0), GRACE, 600, T0, PodTaskSettings.NONE);
        cluster.client.batch().v1().jobs().inNamespace("training").resource(made).create();
        clock.advance(Duration.ofMinutes(1));

        LaunchedRun adopted = newBackend().launch(spec("crashed"));

        assertThat(adopted.startedAt()).isEqualTo(T0);
        assertThat(cluster.client.batch().v1().jobs().inNamespace("training").list().getItems()).hasSize(1);
    }

    @Test
    void what_the_backend_cannot_run_is_refused_by_check_and_launch_naming_it() {
        TrainingBackend backend = newBackend();
        assertThatThrownBy(() -> backend.check(withImage(spec("img"), "file:///opt/programs/train.sh")))
                .isInstanceOf(UnsupportedImageException.class).hasMessageContaining("file:///opt/programs/train.sh");
        assertThatThrownBy(() -> backend.check(spec("gpu", "ml.x9.huge", false, List.of(), 60)))
                .isInstanceOf(UnsupportedTrainingFeatureException.class).hasMessageContaining("InstanceType ml.x9.huge");
        assertThatThrownBy(() -> backend.launch(spec("data", "ml.m5.large", false,
                List.of(InputChannel.of("train", "s3://data/train/")), 60)))
                .isInstanceOf(UnsupportedTrainingFeatureException.class).hasMessageContaining("InputDataConfig channels");
        TrainingJobSpec two = new TrainingJobSpec("two", "arn", null, "xgb:1", "File", Map.of(), Map.of(), List.of(),
                List.of(InputChannel.of("train", "s3://data/train/")), "s3://models/out",
                new TrainingJobSpec.Resources("ml.m5.large", 2, 10), 60, false);
        assertThatThrownBy(() -> backend.launch(two)).isInstanceOf(UnsupportedTrainingFeatureException.class)
                .hasMessageContaining("InputDataConfig channels").hasMessageNotContaining("InstanceCount");
        assertThat(cluster.client.batch().v1().jobs().inNamespace("training").list().getItems()).isEmpty();
    }

    @Test
    void the_saved_log_keeps_its_head_and_tail_within_training_log_cap_bytes_and_metrics_are_read_from_all_of_it() {
        TrainingBackend backend = cluster.backend(new TrainingBackendFactory.Context(context.settings(), context.dataDir(),
                context.objectStore(), clock, GRACE, 4096));
        backends.add(backend);
        RunHandle handle = backend.launch(spec("chatty")).handle();
        String pod = cluster.startPod("chatty");
        cluster.running(pod);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) out.append("step=").append(i).append(" train_loss=").append(i).append('\n');
        cluster.print(pod, out.toString());   // about 560 KB, far past the cap and the kept tail (64 KiB)
        cluster.exit(pod, 0, "Completed", null);

        List<MetricPoint> points = new ArrayList<>();
        RunObservation o = null;
        for (int polls = 0; polls < 10 && (o == null || !o.isTerminal()); polls++) {
            o = backend.poll(handle);
            handle = o.handle();
            points.addAll(o.newPoints());
        }

        assertThat(o.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(values(points)).contains(1.0, 20_000.0);
        String log = new String(backend.readLog(handle, 0, 1 << 22).bytes(), StandardCharsets.UTF_8);
        assertThat(log).startsWith("step=1 train_loss=1\n").contains("the log reached its cap of 4096 bytes")
                .endsWith("step=20000 train_loss=20000\n").doesNotContain("step=10000 train_loss=10000\n");
        assertThat(log.length()).isLessThan(4096 + 200 + 64 * 1024);
        assertThat(newBackend().readLog(handle, 0, 1 << 22).bytes()).isEqualTo(log.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_run_reports_metrics_as_its_log_arrives_completes_and_its_configmap_and_policy_are_cleaned_up() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("done", "ml.m5.large", true, List.of(), 3600)).handle();
        assertThat(backend.poll(handle).phase()).isEqualTo(Phase.RUNNING);   // no pod yet
        String pod = cluster.startPod("done");
        RunObservation pending = backend.poll(handle);
        assertThat(pending.phase()).isEqualTo(Phase.RUNNING);
        cluster.running(pod);
        cluster.print(pod, "epoch=1 train_loss=0.3\nepoch=2 train_");

        RunObservation first = backend.poll(pending.handle());
        assertThat(values(first.newPoints())).containsExactly(0.3);   // the partial line waits for its end
        cluster.print(pod, "loss=0.2\nto stderr: warning\nfinal train_loss=0.05");
        cluster.exit(pod, 0, "Completed", null);
        clock.advance(Duration.ofSeconds(42));
        RunObservation end = backend.poll(first.handle());

        assertThat(end.phase()).isEqualTo(Phase.FINISHED);
        assertThat(values(end.newPoints())).containsExactly(0.2, 0.05);
        assertThat(end.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(end.result().exitCode()).isZero();
        assertThat(end.result().startTime()).isEqualTo(T0);
        assertThat(new String(backend.readLog(end.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("epoch=1 train_loss=0.3\nepoch=2 train_loss=0.2\nto stderr: warning\nfinal train_loss=0.05\n");   // the kubelet ends the last line
        assertThat(new String(backend.readLog(end.handle(), 8, 5).bytes(), StandardCharsets.UTF_8)).isEqualTo("train");
        assertThat(cluster.client.configMaps().inNamespace("training").list().getItems()).isEmpty();
        assertThat(cluster.client.network().v1().networkPolicies().inNamespace("training").list().getItems()).isEmpty();
        assertThat(cluster.job("done").getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);   // Kubernetes deletes it then

        // the Job and pod gone (TTL): the same answer, also from a new server, and the log still there
        cluster.client.batch().v1().jobs().inNamespace("training").delete();
        cluster.client.pods().inNamespace("training").delete();
        TrainingBackend restarted = newBackend();
        assertThat(restarted.poll(end.handle()).result()).isEqualTo(end.result());
        assertThat(restarted.stop(end.handle(), StopCause.USER_REQUEST)).isEqualTo(end.handle());
        assertThat(restarted.readLog(end.handle(), 0, 1 << 20).bytes()).isEqualTo(backend.readLog(end.handle(), 0, 1 << 20).bytes())
                .hasSize(87);
    }

    @Test
    void onRunExit_listeners_hear_when_a_training_container_ends_and_not_before() throws Exception {
        TrainingBackend backend = newBackend();
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        backend.onRunExit(ended::countDown);
        backend.launch(spec("heard"));
        String pod = cluster.startPod("heard");
        cluster.running(pod);
        cluster.print(pod, "train_loss=1\n");

        assertThat(ended.await(1, java.util.concurrent.TimeUnit.SECONDS)).as("heard of an end while it runs").isFalse();
        cluster.exit(pod, 0, "Completed", null);
        assertThat(ended.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_new_server_goes_on_from_the_stored_handle_without_losing_or_repeating_a_point() {
        TrainingBackend first = newBackend();
        RunHandle handle = first.launch(spec("restart")).handle();
        String pod = cluster.startPod("restart");
        cluster.running(pod);
        cluster.print(pod, "train_loss=1\ntrain_loss=2\n");
        RunObservation before = first.poll(handle);
        assertThat(values(before.newPoints())).containsExactly(1.0, 2.0);
        // a poll whose handle the crashed server never stored: its log is saved, its points are not
        cluster.print(pod, "train_loss=3\n");
        first.poll(before.handle());

        TrainingBackend second = newBackend();
        cluster.print(pod, "train_loss=4\n");
        cluster.exit(pod, 0, "Completed", null);
        RunObservation after = second.poll(before.handle());

        assertThat(after.phase()).isEqualTo(Phase.FINISHED);
        assertThat(values(after.newPoints())).containsExactly(3.0, 4.0);
    }

    @Test
    void each_poll_reads_only_the_new_part_of_the_pod_log_and_a_log_the_kubelet_rotated_loses_nothing() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("rotated")).handle();
        String pod = cluster.startPod("rotated");
        cluster.running(pod);
        cluster.print(pod, "train_loss=1\ntrain_loss=2\n");
        RunObservation first = backend.poll(handle);
        cluster.print(pod, "train_loss=3\n");
        cluster.recording = true;
        RunObservation second = backend.poll(first.handle());
        cluster.recording = false;
        cluster.rotateLog(pod);   // the kubelet serves only the current file, which starts empty
        cluster.print(pod, "train_loss=4\n");
        RunObservation third = backend.poll(second.handle());
        cluster.print(pod, "train_loss=5\n");
        cluster.exit(pod, 0, "Completed", null);
        RunObservation end = backend.poll(third.handle());

        assertThat(cluster.requests).filteredOn(r -> r.contains("/log?"))
                .singleElement().asString().contains("timestamps=true", "sinceTime=");
        assertThat(values(first.newPoints())).containsExactly(1.0, 2.0);
        assertThat(values(second.newPoints())).containsExactly(3.0);
        assertThat(values(third.newPoints())).containsExactly(4.0);
        assertThat(values(end.newPoints())).containsExactly(5.0);
        assertThat(new String(backend.readLog(end.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("train_loss=1\ntrain_loss=2\ntrain_loss=3\ntrain_loss=4\ntrain_loss=5\n");
    }

    @Test
    void a_failed_program_has_its_termination_message_or_exit_code_and_last_lines_as_reason() {
        TrainingBackend backend = newBackend();
        RunHandle a = backend.launch(spec("fails-with-file")).handle();
        RunHandle b = backend.launch(spec("fails-without")).handle();
        String podA = cluster.startPod("fails-with-file");
        String podB = cluster.startPod("fails-without");
        cluster.running(podA);
        cluster.running(podB);
        cluster.print(podB, "working on batch 30\nTraceback: division by zero\n");
        cluster.exit(podA, 2, "Error", "ValueError: learning_rate must be positive");
        cluster.exit(podB, 3, "Error", null);

        RunObservation withFile = backend.poll(a);
        RunObservation without = backend.poll(b);

        assertThat(withFile.result().status()).isEqualTo(Status.FAILED);
        assertThat(withFile.result().exitCode()).isEqualTo(2);
        assertThat(withFile.result().failureReason()).isEqualTo("ValueError: learning_rate must be positive");
        assertThat(without.result().failureReason()).isEqualTo("AlgorithmError: the training program exited with code 3. "
                + "Last log lines:\nworking on batch 30\nTraceback: division by zero");
    }

    @Test
    void a_container_killed_for_its_memory_fails_with_a_reason_that_says_so() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("oom")).handle();
        String pod = cluster.startPod("oom");
        cluster.running(pod);
        cluster.exit(pod, 137, "OOMKilled", null);

        RunObservation end = backend.poll(handle);

        assertThat(end.result().status()).isEqualTo(Status.FAILED);
        assertThat(end.result().exitCode()).isEqualTo(137);
        assertThat(end.result().failureReason()).startsWith("OutOfMemoryError: the training container was killed for using more memory");
    }

    @Test
    void an_image_that_cannot_be_pulled_fails_the_job_with_a_clear_reason_not_retried() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("no-image")).handle();
        String pod = cluster.startPod("no-image");
        cluster.imagePullBackOff(pod);

        RunObservation end = backend.poll(handle);

        assertThat(end.phase()).isEqualTo(Phase.FINISHED);   // a result, not VANISHED: the controller does not retry it
        assertThat(end.result().status()).isEqualTo(Status.FAILED);
        assertThat(end.result().failureReason()).isEqualTo("ClientError: the training container could not start "
                + "(ImagePullBackOff): Back-off pulling image \"registry.example/none:1\"");
        assertThat(cluster.job("no-image")).isNull();
        assertThat(cluster.deletes).anySatisfy(r -> assertThat(r.path()).contains("/jobs/" + JobSpecs.name("no-image")));
    }

    @Test
    void an_evicted_pod_is_an_internal_error_retried_under_the_same_name() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("evicted")).handle();
        String pod = cluster.startPod("evicted");
        cluster.running(pod);
        cluster.print(pod, "train_loss=1\ntrain_loss=2\n");
        handle = backend.poll(handle).handle();
        cluster.evict(pod);

        RunObservation lost = backend.poll(handle);

        assertThat(lost.phase()).isEqualTo(Phase.VANISHED);   // the controller retries the job
        assertThat(lost.detail()).contains("Evicted");
        assertThat(cluster.job("evicted")).isNull();
        cluster.client.pods().inNamespace("training").withName(pod).delete();   // the Job's pod goes with it
        clock.advance(Duration.ofSeconds(30));
        LaunchedRun retried = backend.launch(spec("evicted"));
        assertThat(retried.startedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(cluster.job("evicted")).isNotNull();
        cluster.logs.remove(pod);
        String again = cluster.startPod("evicted");   // the new attempt's pod; its log starts afresh
        cluster.running(again);
        cluster.print(again, "train_loss=9\n");
        RunObservation retriedRun = backend.poll(retried.handle());
        assertThat(values(retriedRun.newPoints())).containsExactly(9.0);
        assertThat(new String(backend.readLog(retriedRun.handle(), 0, 100).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("train_loss=9\n");
    }

    @Test
    void stop_deletes_the_job_with_the_grace_period_and_the_first_request_wins() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("stopped")).handle();
        String pod = cluster.startPod("stopped");
        cluster.running(pod);
        cluster.print(pod, "train_loss=1\n");
        handle = backend.poll(handle).handle();

        clock.advance(Duration.ofSeconds(10));
        RunHandle stopping = backend.stop(handle, StopCause.USER_REQUEST);
        clock.advance(Duration.ofSeconds(1));
        assertThat(backend.stop(stopping, StopCause.MAX_RUNTIME_EXCEEDED)).isEqualTo(stopping);

        var delete = cluster.deletes.stream().filter(r -> r.path().contains("/jobs/")).findFirst().orElseThrow();
        assertThat(delete.body()).contains("\"gracePeriodSeconds\":7", "\"propagationPolicy\":\"Foreground\"");
        RunObservation end = backend.poll(stopping);   // the mock deletes at once: the Job is gone
        assertThat(end.result().status()).isEqualTo(Status.STOPPED);
        assertThat(end.result().secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
    }

    @Test
    void max_runtime_deletes_the_job_and_the_run_is_stopped_as_max_runtime_exceeded() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("slow", "ml.m5.large", false, List.of(), 60)).handle();
        String pod = cluster.startPod("slow");
        cluster.running(pod);
        clock.advance(Duration.ofSeconds(59));
        RunObservation running = backend.poll(handle);
        assertThat(running.phase()).isEqualTo(Phase.RUNNING);
        assertThat(cluster.job("slow")).isNotNull();

        clock.advance(Duration.ofSeconds(1));
        RunObservation stopping = backend.poll(running.handle());

        assertThat(stopping.phase()).isEqualTo(Phase.STOPPING);
        assertThat(cluster.job("slow")).isNull();
        RunObservation end = backend.poll(stopping.handle());
        assertThat(end.result().status()).isEqualTo(Status.STOPPED);
        assertThat(end.result().secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
    }

    @Test
    void a_job_ended_by_its_active_deadline_backstop_is_stopped_as_max_runtime_exceeded() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("backstop")).handle();
        String pod = cluster.startPod("backstop");
        cluster.running(pod);
        cluster.deadlineExceeded("backstop");

        RunObservation end = backend.poll(handle);

        assertThat(end.result().status()).isEqualTo(Status.STOPPED);
        assertThat(end.result().secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
    }

    @Test
    void a_job_deleted_by_someone_else_is_an_internal_error() {
        TrainingBackend backend = newBackend();
        RunHandle handle = backend.launch(spec("deleted")).handle();
        cluster.client.batch().v1().jobs().inNamespace("training").withName(JobSpecs.name("deleted")).delete();

        RunObservation lost = backend.poll(handle);

        assertThat(lost.phase()).isEqualTo(Phase.VANISHED);
        assertThat(lost.detail()).contains("is gone");
    }

    @Test
    void the_factory_checks_its_settings() {
        var factory = factory();
        assertThat(factory.settingKeys()).extracting(TrainingBackendFactory.SettingKey::name)
                .containsExactly("kubernetes-namespace", "kubernetes-instance-types", "kubernetes-job-ttl-seconds",
                        "kubernetes-image", "kubernetes-s3-endpoint", "kubernetes-s3-region", "kubernetes-s3-secret");
        assertThatThrownBy(() -> factory.validate(Map.of("kubernetes-job-ttl-seconds", "soon")))
                .hasMessageContaining("kubernetes-job-ttl-seconds");
        assertThatThrownBy(() -> factory.validate(Map.of("kubernetes-namespace", "Not_A_Namespace")))
                .hasMessageContaining("kubernetes-namespace");
        assertThatThrownBy(() -> factory.validate(Map.of("kubernetes-instance-types", "m5=1")))
                .hasMessageContaining("kubernetes-instance-types");
        assertThatThrownBy(() -> factory.validate(Map.of("kubernetes-s3-endpoint", "minio:9000")))
                .hasMessageContaining("kubernetes-s3-endpoint");
        assertThatThrownBy(() -> factory.validate(Map.of("kubernetes-s3-secret", "S3 keys")))
                .hasMessageContaining("kubernetes-s3-secret");
        factory.validate(Map.of("kubernetes-s3-endpoint", "http://minio.storage:9000", "kubernetes-s3-secret", "vernier-s3"));
        factory.validate(Map.of());
    }

    private static List<Double> values(List<MetricPoint> points) {
        return points.stream().map(MetricPoint::value).toList();
    }

    private static TrainingJobSpec withImage(TrainingJobSpec s, String image) {
        return new TrainingJobSpec(s.trainingJobName(), s.trainingJobArn(), s.tuningJobName(), image, s.trainingInputMode(),
                s.hyperParameters(), s.environment(), s.metricDefinitions(), s.inputChannels(), s.s3OutputPath(),
                s.resources(), s.maxRuntimeInSeconds(), s.enableNetworkIsolation());
    }

    /** A clock the test moves. */
}
