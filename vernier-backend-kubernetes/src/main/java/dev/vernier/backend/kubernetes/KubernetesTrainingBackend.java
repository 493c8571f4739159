package dev.vernier.backend.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.training.artifacts.Artifacts;
import dev.vernier.training.jobdir.ChannelStaging;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.log.LogTailer;
import dev.vernier.training.run.FailureReason;
import dev.vernier.training.run.LaunchRecord;
import dev.vernier.training.run.StopDeadlines;
import dev.vernier.training.run.StopRequest;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Training jobs as Kubernetes Jobs (see {@link JobSpecs}). What Vernier keeps of a run besides its
 * handle is below {@code <data-dir>/kubernetes/<job>/<launch time>/}: the pod's log as read so far
 * ({@link SavedLogs}), the container's termination message as {@code output/failure} and the first
 * stop request.
 */
public final class KubernetesTrainingBackend implements TrainingBackend {
    /** Waiting reasons of a container that will not start without a change to the job. */
    static final Set<String> IMAGE_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError");
    /** Pod status reasons of a pod the cluster took away: not the program's fault, retried. */
    static final Set<String> LOST_POD = Set.of("Evicted", "NodeLost", "Shutdown", "Terminated",
            "UnexpectedAdmissionError", "NodeAffinity", "OutOfcpu", "OutOfmemory", "Preempting");
    private static final Pattern IMAGE = Pattern.compile(
            "[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a poll waits for a pod's log. */
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final String namespace;
    private final InstanceTypes instanceTypes;
    private final long jobTtlSeconds;
    private final Duration stopGrace;
    private final Clock clock;
    private final ObjectStore objectStore;
    private final PodTaskSettings tasks;
    private final SavedLogs logs;
    private final List<Runnable> exitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private SharedIndexInformer<Pod> podWatch;

    public KubernetesTrainingBackend(KubernetesClient client, String namespace, InstanceTypes instanceTypes,
                                     long jobTtlSeconds, Duration stopGrace, Clock clock, Path dataDir,
                                     ObjectStore objectStore, PodTaskSettings tasks, long logCapBytes) {
        this.client = client;
        this.namespace = namespace;
        this.instanceTypes = instanceTypes;
        this.jobTtlSeconds = jobTtlSeconds;
        this.stopGrace = stopGrace;
        this.clock = clock;
        this.objectStore = objectStore;
        this.tasks = tasks;
        this.logs = new SavedLogs(dataDir.resolve("kubernetes"), logCapBytes);
    }

    @Override
    public void check(TrainingJobSpec spec) {
        if (spec.trainingImage().startsWith("file:") || !IMAGE.matcher(spec.trainingImage()).matches())
            throw new UnsupportedImageException("TrainingImage '" + spec.trainingImage()
                    + "' is not a container image reference (registry/repository:tag), which the kubernetes backend needs");
        List<String> problems = new ArrayList<>(ChannelStaging.problems(spec, objectStore));
        problems.addAll(PodTaskChecks.problems(spec, tasks));
        Artifacts.outputPathProblem(spec, objectStore).ifPresent(problems::add);
        if (spec.resources().instanceCount() > 1)
            problems.add("InstanceCount " + spec.resources().instanceCount()
                    + " is not supported yet on the kubernetes backend: use 1");
        if (instanceTypes.shape(spec.resources().instanceType()) == null)
            problems.add("InstanceType " + spec.resources().instanceType()
                    + " is not in the kubernetes-instance-types table of this server");
        if (!problems.isEmpty()) throw new UnsupportedTrainingFeatureException(String.join("; ", problems));
    }

    @Override
    public LaunchedRun launch(TrainingJobSpec spec) {
        check(spec);
        String name = JobSpecs.name(spec.trainingJobName());
        Job existing = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        if (existing != null) return adopt(existing, spec.trainingJobName());
        var shape = instanceTypes.shape(spec.resources().instanceType());
        // The Job last: once it exists, everything it needs does too. A crash before it is redone from here.
        createOrReplace(JobSpecs.configMap(spec, namespace, shape));
        if (spec.enableNetworkIsolation()) createOrReplace(JobSpecs.networkPolicy(spec, namespace));
        Job job = JobSpecs.job(spec, namespace, shape, stopGrace, jobTtlSeconds, clock.instant(), tasks);
        try {
            job = client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
            job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();   // another server was first
            if (job == null) throw new IllegalStateException("Job " + name + " conflicted on create and is gone: try again", e);
        }
        return adopt(job, spec.trainingJobName());
    }

    private void createOrReplace(io.fabric8.kubernetes.api.model.HasMetadata object) {
        try {
            client.resource(object).inNamespace(namespace).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
            client.resource(object).inNamespace(namespace).update();
        }
    }

    private LaunchedRun adopt(Job job, String trainingJobName) {
        String labelled = job.getMetadata().getLabels() == null ? null
                : job.getMetadata().getLabels().get(JobSpecs.TRAINING_JOB);
        if (!trainingJobName.equals(labelled))
            throw new IllegalStateException("Job " + job.getMetadata().getName() + " in namespace " + namespace
                    + " belongs to training job " + labelled + ", not " + trainingJobName);
        if (job.getMetadata().getDeletionTimestamp() != null)
            throw new IllegalStateException("the Job " + job.getMetadata().getName()
                    + " of an earlier attempt of " + trainingJobName + " is still being deleted: try again");
        String uploads = PodTaskStatus.uploadPrefix(job);
        KubernetesRun run = new KubernetesRun(namespace, job.getMetadata().getName(), trainingJobName, launchTime(job),
                uploads == null ? null : Artifacts.modelUri(uploads), 0, false,
                null, null);
        return new LaunchedRun(run.handle(), launchTime(job));
    }

    private static Instant launchTime(Job job) {
        return Instant.parse(job.getMetadata().getAnnotations().get(JobSpecs.LAUNCH_TIME));
    }

    @Override
    public RunObservation poll(RunHandle handle) {
        KubernetesRun run = KubernetesRun.of(handle);
        if (run.result() != null) return new RunObservation(handle, Phase.FINISHED, List.of(), run.result(), null);
        try {
            return observe(run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunObservation observe(KubernetesRun run) throws IOException {
        JobDirectory dir = logs.directory(run);
        StopRequest stopped = run.stop() == null ? StopRequest.read(dir) : null;
        if (stopped != null) run = run.withStop(stopped);
        Instant now = clock.instant();
        Job job = client.batch().v1().jobs().inNamespace(run.namespace()).withName(run.job()).get();
        if (job == null) {
            if (run.stop() != null) return finish(run, dir, null, null, List.of(), now, PodTaskStatus.Upload.GONE);
            return vanished(run, "the Job " + run.job() + " of training job " + run.trainingJob()
                    + " is gone from namespace " + run.namespace() + " without Vernier having stopped it");
        }
        Instant launchTime = run.launchTime();
        LogTailer tailer = new LogTailer(new MetricParser(metricDefinitions(job)));
        Pod pod = pod(run);
        ContainerStatus status = pod == null ? null : containerStatus(pod);
        ContainerStateWaiting waiting = status == null || status.getState() == null ? null : status.getState().getWaiting();
        ContainerStateTerminated terminated = status == null || status.getState() == null ? null
                : status.getState().getTerminated();

        if (waiting == null) waiting = PodTaskStatus.imageFailure(pod);
        if (waiting != null && IMAGE_FAILURES.contains(waiting.getReason())) {
            deleteJob(run, Duration.ZERO);
            String reason = "ClientError: the training container could not start (" + waiting.getReason() + ")"
                    + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
            return finished(run, new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate(reason),
                    null, null, launchTime, now), List.of());
        }
        String podReason = pod == null || pod.getStatus() == null ? null : pod.getStatus().getReason();
        if (pod != null && terminated == null && "Failed".equals(pod.getStatus().getPhase())
                || podReason != null && LOST_POD.contains(podReason)) {
            if (run.stop() != null) return finish(run, dir, tailer, null, List.of(), now, PodTaskStatus.upload(pod));   // stopped before it ran
            deleteJob(run, Duration.ZERO);   // so that the retry creates a new Job under the same name
            return vanished(run, "InternalServerError: the pod of the job was lost ("
                    + pod.getStatus().getReason() + (pod.getStatus().getMessage() == null ? ""
                    : ": " + pod.getStatus().getMessage()) + ")");
        }
        ContainerStateTerminated staging = PodTaskStatus.failedStaging(pod);
        if (staging != null) {
            deleteJob(run, Duration.ZERO);
            return finished(run, new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate(
                    "ClientError: the input channels could not be staged into the pod (exit code " + staging.getExitCode()
                    + ")" + (staging.getMessage() == null ? "" : ": " + staging.getMessage())), null, null, launchTime, now),
                    List.of());
        }
        if (run.stop() != null && pod == null && job.getMetadata().getDeletionTimestamp() != null)
            return finish(run, dir, tailer, null, List.of(), now, PodTaskStatus.Upload.GONE);   // its pods are gone, the Job goes next
        JobCondition deadline = condition(job, "DeadlineExceeded");
        if (terminated == null && deadline != null) {   // the backstop ended it before Vernier did
            if (run.stop() == null) run = run.withStop(new StopRequest(now, StopCause.MAX_RUNTIME_EXCEEDED));
            return finish(run, dir, tailer, null, List.of(), now, PodTaskStatus.upload(pod));
        }

        if (pod != null && (terminated != null || (status != null && status.getState() != null
                && status.getState().getRunning() != null))) fetchLog(run, pod, dir);
        LogTailer.Progress progress = logs.parse(dir, tailer, run, terminated != null, now);
        run = run.withLog(progress.offset(), progress.inLongLine());
        // Points read here reach the store only with this observation: a log that compacting would
        // rewrite is compacted by the next poll, so that the stored offset still means the same bytes.
        boolean compactsNext = !progress.points().isEmpty() && logs.compacts(dir);
        if (terminated != null && progress.reachedEnd() && !compactsNext && PodTaskStatus.uploadEnded(job, pod)) {
            if (terminated.getMessage() != null && !terminated.getMessage().isBlank())
                Files.writeString(dir.failureFile(), terminated.getMessage());
            return finish(run, dir, null, terminated, progress.points(), now, PodTaskStatus.upload(pod));
        }
        if (terminated == null) {
            var record = new LaunchRecord(run.trainingJob(), List.of(), maxRuntime(job), "", 0, launchTime);
            switch (StopDeadlines.due(record, run.stop(), stopGrace, now)) {
                case STOP_FOR_MAX_RUNTIME -> run = KubernetesRun.of(stop(run.handle(), StopCause.MAX_RUNTIME_EXCEEDED));
                case KILL -> killPods(run);
                case NOTHING -> { }
            }
        }
        return new RunObservation(run.handle(), run.stop() == null ? Phase.RUNNING : Phase.STOPPING,
                progress.points(), null, null);
    }

    /** The run has ended: its result, and its ConfigMap and NetworkPolicy deleted (the Job goes after its TTL). */
    private RunObservation finish(KubernetesRun run, JobDirectory dir, LogTailer tailer, ContainerStateTerminated terminated,
                                  List<dev.vernier.core.metrics.MetricPoint> points, Instant now,
                                  PodTaskStatus.Upload upload) throws IOException {
        List<dev.vernier.core.metrics.MetricPoint> all = new ArrayList<>(points);
        if (tailer != null) {   // ended without a terminated container: what was read is all there is
            var rest = logs.parse(dir, tailer, run, true, now);
            all.addAll(rest.points());
            run = run.withLog(rest.offset(), rest.inLongLine());
        }
        run = run.withLog(logs.compact(dir), false);
        Integer exitCode = terminated == null ? null : terminated.getExitCode();
        Instant start = run.launchTime();
        Instant end = terminated != null && terminated.getFinishedAt() != null
                ? Instant.parse(terminated.getFinishedAt()) : now;
        if (end.isBefore(start)) end = start;
        RunResult result;
        String model = modelArtifact(run, upload);
        if (run.stop() != null) {
            result = new RunResult(Status.STOPPED, run.stop().cause() == StopCause.MAX_RUNTIME_EXCEEDED
                    ? SecondaryStatus.MAX_RUNTIME_EXCEEDED : SecondaryStatus.STOPPED, null, exitCode, model, start, end);
        } else if (exitCode != null && exitCode == 0 && upload.failure() != null) {
            result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate(
                    "ClientError: the model and output could not be uploaded: " + upload.failure()), 0, null, start, end);
        } else if (exitCode != null && exitCode == 0) {
            result = new RunResult(Status.COMPLETED, SecondaryStatus.COMPLETED, null, 0, model, start, end);
        } else if (terminated != null && "OOMKilled".equals(terminated.getReason())) {
            result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate(
                    "OutOfMemoryError: the training container was killed for using more memory than its instance type "
                    + "allows (exit code " + exitCode + ")"), exitCode, null, start, end);
        } else {
            result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.of(dir, exitCode), exitCode,
                    null, start, end);
        }
        return finished(run, result, all);
    }

    /**
     * The model's location once the pod's upload has stored it: told by the upload container's exit
     * code, or, when its pod is gone (a stopped Job is deleted), by whether the object is there.
     */
    private String modelArtifact(KubernetesRun run, PodTaskStatus.Upload upload) throws IOException {
        if (run.modelUri() == null) return null;
        if (upload.known()) return Integer.valueOf(0).equals(upload.exitCode()) ? run.modelUri() : null;
        return objectStore.hasObjects(java.net.URI.create(run.modelUri())) ? run.modelUri() : null;
    }

    private RunObservation finished(KubernetesRun run, RunResult result, List<dev.vernier.core.metrics.MetricPoint> points) {
        cleanUp(run);
        return new RunObservation(run.withResult(result).handle(), Phase.FINISHED, points, result, null);
    }

    private RunObservation vanished(KubernetesRun run, String detail) {
        cleanUp(run);
        return new RunObservation(run.handle(), Phase.VANISHED, List.of(), null, detail);
    }

    private void cleanUp(KubernetesRun run) {
        client.configMaps().inNamespace(run.namespace()).withName(run.job()).delete();
        client.network().v1().networkPolicies().inNamespace(run.namespace()).withName(run.job()).delete();
    }

    /**
     * Appends to the saved log what the pod's training container printed since the last poll. A plain
     * GET of {@code pods/<name>/log}: the client's getLogInputStream first waits for the pod to be
     * Ready with a list and a watch of its own, on every poll.
     */
    private void fetchLog(KubernetesRun run, Pod pod, JobDirectory dir) throws IOException {
        String path = "api/v1/namespaces/" + run.namespace() + "/pods/" + pod.getMetadata().getName()
                + "/log?container=" + JobSpecs.CONTAINER;
        var http = client.getHttpClient();
        try {
            var response = http.sendAsync(http.newHttpRequestBuilder()
                    .uri(client.getMasterUrl().toURI().resolve(path)).build(), InputStream.class)
                    .get(LOG_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            try (InputStream in = response.body()) {
                if (response.isSuccessful()) logs.append(dir, in);   // else not readable yet, or gone: the next poll tries again
            }
        } catch (java.net.URISyntaxException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the API server did not answer: the next poll tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Pod pod(KubernetesRun run) {
        return client.pods().inNamespace(run.namespace()).withLabel(JobSpecs.TRAINING_JOB, run.trainingJob()).list()
                .getItems().stream()
                .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                        : p.getMetadata().getCreationTimestamp()))
                .orElse(null);
    }

    private static ContainerStatus containerStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) return null;
        return pod.getStatus().getContainerStatuses().stream().filter(c -> JobSpecs.CONTAINER.equals(c.getName()))
                .findFirst().orElse(null);
    }

    private static JobCondition condition(Job job, String reason) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) return null;
        return job.getStatus().getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()) && reason.equals(c.getReason()))
                .findFirst().orElse(null);
    }

    private static List<MetricDefinition> metricDefinitions(Job job) throws IOException {
        List<MetricDefinition> defs = new ArrayList<>();
        String text = job.getMetadata().getAnnotations().get(JobSpecs.METRIC_DEFINITIONS);
        if (text != null)
            for (JsonNode d : JSON.readTree(text)) defs.add(new MetricDefinition(d.get("Name").asText(), d.get("Regex").asText()));
        return defs;
    }

    private static long maxRuntime(Job job) {
        return Long.parseLong(job.getMetadata().getAnnotations().get(JobSpecs.MAX_RUNTIME));
    }

    @Override
    public RunHandle stop(RunHandle handle, StopCause cause) {
        KubernetesRun run = KubernetesRun.of(handle);
        if (run.result() != null || run.stop() != null) return handle;
        try {
            // Kept in the run's directory before the Job is deleted: a second request, also from an
            // older handle (a crash before the controller stored the new one), keeps the first.
            JobDirectory dir = logs.directory(run);
            StopRequest first = StopRequest.read(dir);
            if (first != null) return run.withStop(first).handle();
            run = run.withStop(new StopRequest(clock.instant(), cause));
            run.stop().write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deleteJob(run, stopGrace);
        return run.handle();
    }

    /** Deletes the Job and, in the foreground, its pod: SIGTERM now, SIGKILL after {@code grace}. */
    private void deleteJob(KubernetesRun run, Duration grace) {
        client.batch().v1().jobs().inNamespace(run.namespace()).withName(run.job())
                .withPropagationPolicy(DeletionPropagation.FOREGROUND).withGracePeriod(grace.toSeconds()).delete();
    }

    private void killPods(KubernetesRun run) {
        // one by one, as pods/delete allows; a delete of the collection would need deletecollection
        client.pods().inNamespace(run.namespace()).withLabel(JobSpecs.TRAINING_JOB, run.trainingJob()).list().getItems()
                .forEach(p -> client.pods().inNamespace(run.namespace()).withName(p.getMetadata().getName())
                        .withGracePeriod(0).delete());
    }

    @Override
    public LogChunk readLog(RunHandle handle, long offset, int maxBytes) {
        KubernetesRun run = KubernetesRun.of(handle);
        try {
            return logs.read(run, offset, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Watches the pods of training jobs (started with the first listener) and tells listeners when one ends. */
    @Override
    public void onRunExit(Runnable listener) {
        exitListeners.add(listener);
        synchronized (exitListeners) {
            if (podWatch != null) return;
            podWatch = client.pods().inNamespace(namespace).withLabel(JobSpecs.MANAGED_BY, "vernier")
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(Pod pod) {
                            if (ended(pod)) runExited();
                        }

                        @Override
                        public void onUpdate(Pod before, Pod after) {
                            if (!ended(before) && ended(after)
                                    || !PodTaskStatus.upload(before).known() && PodTaskStatus.upload(after).known()) runExited();
                        }

                        @Override
                        public void onDelete(Pod pod, boolean finalStateUnknown) {
                            runExited();
                        }
                    });
        }
    }

    private void runExited() {
        exitListeners.forEach(Runnable::run);
    }

    /** The training container has ended or will not start, or the pod has failed. */
    static boolean ended(Pod pod) {
        if (pod.getStatus() == null) return false;
        if ("Failed".equals(pod.getStatus().getPhase()) || "Succeeded".equals(pod.getStatus().getPhase())) return true;
        ContainerStatus status = containerStatus(pod);
        if (status == null || status.getState() == null) return false;
        return status.getState().getTerminated() != null || status.getState().getWaiting() != null
                && IMAGE_FAILURES.contains(status.getState().getWaiting().getReason());
    }

    @Override
    public void close() {
        synchronized (exitListeners) {
            if (podWatch != null) podWatch.close();
        }
        client.close();
    }
}
