package dev.vernier.backend.kubernetes;

import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API server and what a cluster does besides, for tests: fabric8's mock server in CRUD mode
 * (objects are stored and read back as a real API server would, with no controllers), and a
 * driver that plays the Job controller and the kubelet: it makes a Job's pod, moves it through
 * its phases, writes its log (served at {@code pods/<name>/log}, which the CRUD mode lacks, as {@link ContainerLog}), sets
 * exit codes and reasons, evicts it. Requests that delete are recorded with their bodies.
 */
final class MockCluster implements AutoCloseable {
    static final String NAMESPACE = "training";
    /** The mock server logs every request at INFO; kept here so that the level set stays set. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }
    private static final Pattern LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?");
    private static final Pattern POD = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)(\\?.*)?");
    private static final Pattern CONTAINER = Pattern.compile("[?&]container=([^&]+)");
    private static final Pattern GRACE = Pattern.compile("\"gracePeriodSeconds\":([0-9]+)");

    final Map<String, ContainerLog> logs = new ConcurrentHashMap<>();
    /** Bytes served by {@code pods/<name>/log} so far. */
    final java.util.concurrent.atomic.AtomicLong logBytesServed = new java.util.concurrent.atomic.AtomicLong();
    /** Logs of containers that {@link Kubelet} runs, by "pod/container". */
    final Map<String, java.nio.file.Path> containerLogs = new ConcurrentHashMap<>();
    /** The gracePeriodSeconds of each pod's DELETE request, by pod name (absent: the pod's own). */
    final Map<String, Long> podDeleteGrace = new ConcurrentHashMap<>();
    final java.util.Set<String> pods = ConcurrentHashMap.newKeySet();
    /** While true, requests are recorded in {@link #requests}: set it around the backend's calls only. */
    volatile boolean recording;
    /** The requests made while {@link #recording}, "METHOD path?query", in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** A DELETE request, its path and body (read once here: the request's body can be read only once). */
    record Delete(String path, String body) {}

    final List<Delete> deletes = new CopyOnWriteArrayList<>();
    private final KubernetesMockServer server;
    final KubernetesClient client;

    MockCluster() {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(responses);
        Dispatcher withLogs = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (recording) requests.add(request.getMethod() + " " + request.getPath());
                Matcher m = LOG.matcher(request.getPath());
                if (m.matches() && request.getMethod().equals("GET") && m.group(3) != null) {
                    Matcher container = CONTAINER.matcher(m.group(3));
                    java.nio.file.Path file = container.find() ? containerLogs.get(m.group(2) + "/" + container.group(1)) : null;
                    if (file != null) {
                        try {
                            return served(ContainerLog.serve(file, m.group(3)));
                        } catch (java.io.IOException e) {
                            return new MockResponse().setResponseCode(500).setBody(e.toString());
                        }
                    }
                }
                if (m.matches() && request.getMethod().equals("GET")) {
                    if (!pods.contains(m.group(2)))   // (no client calls here: this runs on the server's event loop)
                        return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"code\":404}");
                    ContainerLog log = logs.get(m.group(2));
                    return served(log == null ? new byte[0] : log.serve(m.group(3)));
                }
                if (request.getMethod().equals("DELETE")) {
                    String body = java.util.Objects.requireNonNullElse(request.getUtf8Body(), "");   // read once: reading consumes it
                    deletes.add(new Delete(request.getPath(), body));
                    Matcher pod = POD.matcher(request.getPath());
                    Matcher grace = GRACE.matcher(body);
                    if (pod.matches() && grace.find()) podDeleteGrace.put(pod.group(2), Long.parseLong(grace.group(1)));
                }
                return crud.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, withLogs, false);
        server.init();
        client = newClient();
    }

    private MockResponse served(byte[] log) {
        logBytesServed.addAndGet(log.length);
        return new MockResponse().setResponseCode(200).setBody(log);
    }

    /**
     * A client of this API server. Requests may wait 30 s, not fabric8's 10: on this project's loaded
     * 2-core machine (load 20-28) the mock's event loop, in the test's own JVM, was seen starved for over 10 s.
     */
    KubernetesClient newClient() {
        return server.createClient(builder -> builder.editOrNewConfig().withRequestTimeout(30_000).endConfig());
    }

    /** What a server gives the backend: {@code settings} over the namespace {@link #NAMESPACE}, below {@code dir}. */
    static TrainingBackendFactory.Context context(java.nio.file.Path dir, java.time.Clock clock, java.time.Duration grace,
                                                  Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("kubernetes-namespace", NAMESPACE);
        return new TrainingBackendFactory.Context(all, dir.resolve("data"), new DirectoryObjectStore(dir.resolve("objects")),
                clock, grace, 1 << 20);
    }

    /** A backend on this cluster, with a client of its own, as a new server process makes it. */
    TrainingBackend backend(TrainingBackendFactory.Context context) {
        return new KubernetesTrainingBackendFactory().create(context, newClient());
    }

    Job job(String trainingJobName) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(JobSpecs.name(trainingJobName)).get();
    }

    /** The Job controller: the Job's one pod, from its template, Pending. */
    String startPod(String trainingJobName) {
        return startPodOf(job(trainingJobName));
    }

    /** The Job of host {@code host} (algo-k) of a job of several. */
    Job hostJob(String trainingJobName, String host) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(JobSpecs.name(trainingJobName) + "-" + host).get();
    }

    /** The Job controller: the pod of host {@code host} of a job of several, Pending. */
    String startHostPod(String trainingJobName, String host) {
        return startPodOf(hostJob(trainingJobName, host));
    }

    private String startPodOf(Job job) {
        String name = job.getMetadata().getName() + "-x7k2p";
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("batch.kubernetes.io/job-name", job.getMetadata().getName())
                .withCreationTimestamp(Instant.now().toString()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").endStatus().build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
        pods.add(name);
        return name;
    }

    /** The kubelet has started the training container. */
    void running(String pod) {
        setStatus(pod, "Running", null, new ContainerStatusBuilder().withName(JobSpecs.CONTAINER)
                .withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState().build());
    }

    /** The container writes to stdout or stderr. */
    void print(String pod, String text) {
        logs.computeIfAbsent(pod, p -> new ContainerLog()).print(text);
    }

    /** The kubelet rotates the container's log file: its log API serves only what is written after. */
    void rotateLog(String pod) {
        logs.get(pod).rotate();
    }

    /** The container exits; {@code message} is what it left in its terminationMessagePath (output/failure). */
    void exit(String pod, int code, String reason, String message) {
        endLog(pod);
        setStatus(pod, code == 0 ? "Succeeded" : "Failed", null, new ContainerStatusBuilder().withName(JobSpecs.CONTAINER)
                .withNewState().withNewTerminated().withExitCode(code).withReason(reason).withMessage(message)
                .withFinishedAt(Instant.now().toString()).endTerminated().endState().build());
    }

    /** The kubelet cannot pull the image. */
    void imagePullBackOff(String pod) {
        setStatus(pod, "Pending", null, new ContainerStatusBuilder().withName(JobSpecs.CONTAINER)
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"registry.example/none:1\"").endWaiting().endState().build());
    }

    /** The kubelet evicts the pod (node pressure): its container is killed, the pod Failed with reason Evicted. */
    void evict(String pod) {
        endLog(pod);
        setStatus(pod, "Failed", "Evicted", new ContainerStatusBuilder().withName(JobSpecs.CONTAINER)
                .withNewState().withNewTerminated().withExitCode(137).withReason("Error").endTerminated().endState().build());
    }

    /** The Job controller ends a Job at its activeDeadlineSeconds. */
    void deadlineExceeded(String trainingJobName) {
        deadlineExceeded(job(trainingJobName));
        client.pods().inNamespace(NAMESPACE).withLabel(JobSpecs.TRAINING_JOB, trainingJobName).delete();
    }

    /** The Job controller ends one Job (a host's of several) at its activeDeadlineSeconds, deleting its pod. */
    void deadlineExceeded(Job job) {
        job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withConditions(new JobConditionBuilder()
                .withType("Failed").withStatus("True").withReason("DeadlineExceeded").build()).build());
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();
        client.pods().inNamespace(NAMESPACE).withLabel("batch.kubernetes.io/job-name", job.getMetadata().getName()).delete();
    }

    private void endLog(String pod) {
        ContainerLog log = logs.get(pod);
        if (log != null) log.end();
    }

    private void setStatus(String podName, String phase, String reason, io.fabric8.kubernetes.api.model.ContainerStatus status) {
        Pod pod = client.pods().inNamespace(NAMESPACE).withName(podName).get();
        pod.getStatus().setPhase(phase);
        pod.getStatus().setReason(reason);
        pod.getStatus().setContainerStatuses(List.of(status));
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
