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
import dev.vernier.training.jobdir.TrainingHost;
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
        if (spec.checkpoints() != null)   // nothing in the pod would restore or save them
            problems.add("CheckpointConfig is not supported yet on the kubernetes backend");
        if (instanceTypes.shape(spec.resources().instanceType()) == null)
            problems.add("InstanceType " + spec.resources().instanceType()
                    + " is not in the kubernetes-instance-types table of this server");
        if (!problems.isEmpty()) throw new UnsupportedTrainingFeatureException(String.join("; ", problems));
    }

    @Override
    public LaunchedRun launch(TrainingJobSpec spec) {
        check(spec);
        var shape = instanceTypes.shape(spec.resources().instanceType());
        List<TrainingHost> hosts = JobSpecs.hosts(spec, shape);
        // algo-1's Job last: once it exists, everything the job needs does too. A crash before it is redone from here.
        String leader = JobSpecs.jobName(spec.trainingJobName(), hosts.getFirst());
        Job existing = client.batch().v1().jobs().inNamespace(namespace).withName(leader).get();
        if (existing != null) return adopt(existing, spec);
        Instant launchTime = clock.instant();
        for (TrainingHost host : hosts.subList(1, hosts.size())) {   // a launch cut short: its hosts' Jobs keep their time
            Job made = client.batch().v1().jobs().inNamespace(namespace).withName(JobSpecs.jobName(spec.trainingJobName(), host)).get();
            if (made != null) {
                ownedUsable(made, spec.trainingJobName());
                launchTime = launchTime(made);
                break;
            }
        }
        createOrReplace(JobSpecs.configMap(spec, namespace, shape));
        if (spec.enableNetworkIsolation()) createOrReplace(JobSpecs.networkPolicy(spec, namespace));
        if (hosts.size() > 1) createOrReplace(JobSpecs.hostService(spec, namespace));
        List<Job> jobs = JobSpecs.jobs(spec, namespace, shape, stopGrace, jobTtlSeconds, launchTime, tasks);
        Job job = null;
        for (Job each : jobs.reversed()) {
            String name = each.getMetadata().getName();
            try {
                job = client.batch().v1().jobs().inNamespace(namespace).resource(each).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
                job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();   // another server was first
                if (job == null) throw new IllegalStateException("Job " + name + " conflicted on create and is gone: try again", e);
                ownedUsable(job, spec.trainingJobName());
            }
        }
        return adopt(job, spec);
    }

    private void createOrReplace(io.fabric8.kubernetes.api.model.HasMetadata object) {
        try {
            client.resource(object).inNamespace(namespace).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
            client.resource(object).inNamespace(namespace).update();
        }
    }

    private LaunchedRun adopt(Job job, TrainingJobSpec spec) {
        ownedUsable(job, spec.trainingJobName());
        String uploads = PodTaskStatus.uploadPrefix(job);
        KubernetesRun run = new KubernetesRun(namespace, JobSpecs.name(spec.trainingJobName()), spec.trainingJobName(),
                launchTime(job), uploads == null ? null : Artifacts.modelUri(spec.outputPrefix()), 0, false,
                null, null, spec.resources().instanceCount());
        return new LaunchedRun(run.handle(), launchTime(job));
    }

    /** Refuses a Job of another training job (a name collision) or of an earlier attempt still being deleted. */
    private void ownedUsable(Job job, String trainingJobName) {
        String labelled = job.getMetadata().getLabels() == null ? null
                : job.getMetadata().getLabels().get(JobSpecs.TRAINING_JOB);
        if (!trainingJobName.equals(labelled))
            throw new IllegalStateException("Job " + job.getMetadata().getName() + " in namespace " + namespace
                    + " belongs to training job " + labelled + ", not " + trainingJobName);
        if (job.getMetadata().getDeletionTimestamp() != null)
            throw new IllegalStateException("the Job " + job.getMetadata().getName()
                    + " of an earlier attempt of " + trainingJobName + " is still being deleted: try again");
    }

    private static Instant launchTime(Job job) {
        return Instant.parse(job.getMetadata().getAnnotations().get(JobSpecs.LAUNCH_TIME));
    }

    @Override
    public RunObservation poll(RunHandle handle) {
        KubernetesRun run = KubernetesRun.of(handle);
        if (run.result() != null) return new RunObservation(handle, Phase.FINISHED, List.of(), run.result(), null);
        try {
            return run.hosts() > 1 ? observeHosts(run) : observe(run);
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
                && status.getState().getRunning() != null))) fetchLog(run, pod, dir, terminated != null);
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
        if (terminated == null) run = enforceDeadlines(run, maxRuntime(job), launchTime, now);
        return new RunObservation(run.handle(), run.stop() == null ? Phase.RUNNING : Phase.STOPPING,
                progress.points(), null, null);
    }

    /** MaxRuntimeInSeconds and the stop grace period: a run past its runtime is stopped, one past its grace killed. */
    private KubernetesRun enforceDeadlines(KubernetesRun run, long maxRuntime, Instant launchTime, Instant now) {
        var record = new LaunchRecord(run.trainingJob(), List.of(), maxRuntime, "", 0, launchTime);
        switch (StopDeadlines.due(record, run.stop(), stopGrace, now)) {
            case STOP_FOR_MAX_RUNTIME -> run = KubernetesRun.of(stop(run.handle(), StopCause.MAX_RUNTIME_EXCEEDED));
            case KILL -> killPods(run);
            case NOTHING -> { }
        }
        return run;
    }

    /**
     * A run of several hosts, each a Job of one pod ({@link JobSpecs#jobs}): every host's log is read
     * and merged into the run's ({@link SavedLogs#merge}). The first host seen to fail is recorded
     * ({@link #FAILED_HOST}) and the others' Jobs are deleted with the stop grace period (their pods
     * deleted at once when they outlive it); the run is Failed, naming that host, once they have
     * ended, whatever stop comes after. A host's pod or Job lost makes the run lost; after a stop the
     * run is Stopped once every Job is gone; it completes when every host has exited 0 and its upload
     * has ended, and the hosts' archives are then merged ({@link HostArtifacts}).
     */
    private RunObservation observeHosts(KubernetesRun run) throws IOException {
        JobDirectory dir = logs.directory(run);
        StopRequest stopped = run.stop() == null ? StopRequest.read(dir) : null;
        if (stopped != null) run = run.withStop(stopped);
        Instant now = clock.instant();
        List<String> hosts = hostNames(run);
        FailedHost failed = FailedHost.read(dir);
        List<Job> jobs = new ArrayList<>();
        for (String name : run.jobs()) jobs.add(client.batch().v1().jobs().inNamespace(run.namespace()).withName(name).get());
        Job any = jobs.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (any == null) {
            if (failed != null || run.stop() != null) return finishHosts(run, dir, null, failed, List.of(), now);
            return vanished(run, "the Jobs of training job " + run.trainingJob() + " are gone from namespace "
                    + run.namespace() + " without Vernier having stopped them");
        }
        LogTailer tailer = new LogTailer(new MetricParser(metricDefinitions(any)));
        java.util.Map<String, Pod> pods = hostPods(run);
        List<ContainerStateTerminated> ended = new ArrayList<>();
        for (int k = 0; k < hosts.size(); k++) {
            String host = hosts.get(k);
            Pod pod = pods.get(host);
            ContainerStatus status = pod == null ? null : containerStatus(pod);
            ContainerStateTerminated terminated = status == null || status.getState() == null ? null
                    : status.getState().getTerminated();
            if (failed == null) {
                RunObservation end = hostProblem(run, host, jobs.get(k), pod, status, now);
                if (end != null) return end;
            }
            if (pod != null && (terminated != null || status != null && status.getState() != null
                    && status.getState().getRunning() != null)) fetchLog(run, pod, logs.host(dir, host), terminated != null);
            ended.add(terminated);
        }
        boolean allEnded = ended.stream().allMatch(java.util.Objects::nonNull);
        logs.merge(dir, hosts, allEnded);
        LogTailer.Progress progress = logs.parse(dir, tailer, run, allEnded, now);
        run = run.withLog(progress.offset(), progress.inLongLine());

        if (failed == null && run.stop() == null)
            for (int k = 0; k < hosts.size() && failed == null; k++) {
                ContainerStateTerminated t = ended.get(k);
                if (t == null || Integer.valueOf(0).equals(t.getExitCode())) continue;
                failed = new FailedHost(hosts.get(k), t.getExitCode(), "OOMKilled".equals(t.getReason()),
                        t.getFinishedAt() == null ? now : Instant.parse(t.getFinishedAt()), now);
                if (t.getMessage() != null && !t.getMessage().isBlank())
                    Files.writeString(logs.host(dir, failed.name()).failureFile(), t.getMessage());
                failed.write(dir);
                for (int other = 0; other < hosts.size(); other++)   // SIGTERM now, SIGKILL after the grace period, as a stop
                    if (other != k) deleteJob(run, run.jobs().get(other), stopGrace);
            }
        if (failed != null) {
            boolean othersEnded = true;
            for (int k = 0; k < hosts.size(); k++) {
                if (hosts.get(k).equals(failed.name())) continue;
                Pod pod = pods.get(hosts.get(k));
                othersEnded &= jobs.get(k) == null || pod == null || ended.get(k) != null
                        || pod.getStatus() != null && List.of("Succeeded", "Failed").contains(pod.getStatus().getPhase());
            }
            if (othersEnded) return finishHosts(run, dir, tailer, failed, progress.points(), now);
            if (!now.isBefore(failed.at().plus(stopGrace))) killPods(run);
            return new RunObservation(run.handle(), Phase.RUNNING, progress.points(), null, null);
        }
        if (run.stop() == null && !allEnded && jobs.stream().anyMatch(j -> j != null && condition(j, "DeadlineExceeded") != null))
            run = KubernetesRun.of(stop(run.handle(), StopCause.MAX_RUNTIME_EXCEEDED));   // the backstop ended a host first
        if (run.stop() != null) {
            boolean gone = true;
            for (int k = 0; k < hosts.size(); k++)
                gone &= jobs.get(k) == null || pods.get(hosts.get(k)) == null && jobs.get(k).getMetadata().getDeletionTimestamp() != null;
            if (gone) return finishHosts(run, dir, tailer, null, progress.points(), now);
        }
        boolean compactsNext = !progress.points().isEmpty() && logs.compacts(dir);
        boolean uploaded = true;
        for (int k = 0; k < hosts.size(); k++)
            uploaded &= jobs.get(k) == null || PodTaskStatus.uploadEnded(jobs.get(k), pods.get(hosts.get(k)));
        if (run.stop() == null && allEnded && progress.reachedEnd() && !compactsNext && uploaded)
            return finishHosts(run, dir, null, null, progress.points(), now);
        if (!allEnded) run = enforceDeadlines(run, maxRuntime(any), run.launchTime(), now);
        return new RunObservation(run.handle(), run.stop() == null ? Phase.RUNNING : Phase.STOPPING,
                progress.points(), null, null);
    }

    /**
     * What ends a run of several hosts at once because of one host, or null: its Job gone or its pod
     * lost (the run is lost, and every host's Job deleted so that the retry makes them anew), its
     * container unable to start, or its channels not staged (Failed).
     */
    private RunObservation hostProblem(KubernetesRun run, String host, Job job, Pod pod, ContainerStatus status, Instant now) {
        if (job == null && run.stop() == null) {
            deleteJob(run, Duration.ZERO);
            return vanished(run, "InternalServerError: the Job " + JobSpecs.name(run.trainingJob()) + "-" + host
                    + " of host " + host + " is gone from namespace " + run.namespace() + " without Vernier having stopped it");
        }
        ContainerStateWaiting waiting = status == null || status.getState() == null ? null : status.getState().getWaiting();
        ContainerStateTerminated terminated = status == null || status.getState() == null ? null : status.getState().getTerminated();
        if (waiting == null) waiting = PodTaskStatus.imageFailure(pod);
        if (waiting != null && IMAGE_FAILURES.contains(waiting.getReason())) {
            deleteJob(run, Duration.ZERO);
            return finished(run, new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate(
                    "ClientError: the training container of host " + host + " could not start (" + waiting.getReason() + ")"
                    + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage())), null, null, run.launchTime(), now),
                    List.of());
        }
        String podReason = pod == null || pod.getStatus() == null ? null : pod.getStatus().getReason();
        if (run.stop() == null && (pod != null && terminated == null && "Failed".equals(pod.getStatus().getPhase())
                || podReason != null && LOST_POD.contains(podReason))) {
            deleteJob(run, Duration.ZERO);
            return vanished(run, "InternalServerError: the pod of host " + host + " was lost (" + podReason
                    + (pod.getStatus().getMessage() == null ? "" : ": " + pod.getStatus().getMessage()) + ")");
        }
        ContainerStateTerminated staging = PodTaskStatus.failedStaging(pod);
        if (staging != null && run.stop() == null) {
            deleteJob(run, Duration.ZERO);
            return finished(run, new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate(
                    "ClientError: host " + host + ": the input channels could not be staged into the pod (exit code "
                    + staging.getExitCode() + ")" + (staging.getMessage() == null ? "" : ": " + staging.getMessage())),
                    null, null, run.launchTime(), now), List.of());
        }
        return null;
    }

    /** Where the first host seen to fail is recorded, in the run's vernier/: "algo-k exit-code oom|error finished-at seen-at". */
    static final String FAILED_HOST = "failed_host";

    /**
     * The first host seen to fail: its exit code, whether it was OOMKilled, when its program ended,
     * and when Vernier saw it (the others' grace period runs from then).
     */
    private record FailedHost(String name, Integer exitCode, boolean oomKilled, Instant finishedAt, Instant at) {
        void write(JobDirectory dir) throws IOException {
            dev.vernier.training.jobdir.StateFiles.write(dir.state(FAILED_HOST), name + " " + exitCode + " "
                    + (oomKilled ? "oom" : "error") + " " + finishedAt + " " + at + "\n");
        }

        static FailedHost read(JobDirectory dir) throws IOException {
            Path file = dir.state(FAILED_HOST);
            if (!Files.exists(file)) return null;
            String[] f = Files.readString(file).strip().split(" ");
            return new FailedHost(f[0], f[1].equals("null") ? null : Integer.valueOf(f[1]), f[2].equals("oom"),
                    Instant.parse(f[3]), Instant.parse(f[4]));
        }
    }

    /**
     * A run of several hosts has ended: every host's last lines merged and parsed ({@code tailer}
     * null: they were), then Failed naming {@code failed}, Stopped, or Completed with the hosts'
     * archives merged; its ConfigMap, NetworkPolicy and Service deleted.
     */
    private RunObservation finishHosts(KubernetesRun run, JobDirectory dir, LogTailer tailer, FailedHost failed,
                                       List<dev.vernier.core.metrics.MetricPoint> points, Instant now) throws IOException {
        List<String> hosts = hostNames(run);
        List<dev.vernier.core.metrics.MetricPoint> all = new ArrayList<>(points);
        if (tailer != null) {
            logs.merge(dir, hosts, true);
            var rest = logs.parse(dir, tailer, run, true, now);
            all.addAll(rest.points());
            run = run.withLog(rest.offset(), rest.inLongLine());
        }
        run = run.withLog(logs.compact(dir), false);
        Instant start = run.launchTime();
        Instant end = failed != null ? failed.finishedAt() : now;
        if (end.isBefore(start)) end = start;
        java.util.Map<String, Pod> pods = hostPods(run);
        RunResult result;
        if (failed != null) {
            JobDirectory host = logs.host(dir, failed.name());
            String reason = failed.oomKilled()
                    ? "OutOfMemoryError: the training container was killed for using more memory than its instance type "
                      + "allows (exit code " + failed.exitCode() + ")"
                    : FailureReason.of(host, failed.exitCode());
            result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, hostReason(failed.name(), reason), failed.exitCode(),
                    null, start, end);
        } else if (run.stop() != null) {
            String model = null;
            try {   // what every host's upload stored when its pod was deleted; none when one was killed before
                if (run.modelUri() != null && HostArtifacts.allStored(objectStore, outputPrefix(run), hosts))
                    model = mergeArtifacts(run, dir, hosts);
            } catch (IOException | RuntimeException e) {
                model = null;
            }
            result = new RunResult(Status.STOPPED, run.stop().cause() == StopCause.MAX_RUNTIME_EXCEEDED
                    ? SecondaryStatus.MAX_RUNTIME_EXCEEDED : SecondaryStatus.STOPPED, null, null, model, start, end);
        } else {
            String uploadFailure = null;
            Instant last = start;
            for (String host : hosts) {
                Pod pod = pods.get(host);
                ContainerStatus status = pod == null ? null : containerStatus(pod);
                if (status != null && status.getState() != null && status.getState().getTerminated() != null
                        && status.getState().getTerminated().getFinishedAt() != null) {
                    Instant finished = Instant.parse(status.getState().getTerminated().getFinishedAt());
                    if (finished.isAfter(last)) last = finished;
                }
                String failure = PodTaskStatus.upload(pod).failure();
                if (failure != null && uploadFailure == null) uploadFailure = "host " + host + ": " + failure;
            }
            end = last;
            if (uploadFailure != null) {
                result = new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate(
                        "ClientError: the model and output could not be uploaded: " + uploadFailure), 0, null, start, end);
            } else {
                String model = null;
                String mergeFailure = null;
                try {
                    if (run.modelUri() != null) model = mergeArtifacts(run, dir, hosts);
                } catch (IOException | RuntimeException e) {
                    mergeFailure = e.toString();
                }
                result = mergeFailure != null
                        ? new RunResult(Status.FAILED, SecondaryStatus.FAILED, FailureReason.truncate(
                                "ClientError: the hosts' model and output could not be merged: " + mergeFailure), 0, null, start, end)
                        : new RunResult(Status.COMPLETED, SecondaryStatus.COMPLETED, null, 0, model, start, end);
            }
        }
        logs.compactHosts(dir, hosts);
        return finished(run, result, all);
    }

    /** A host's failure reason naming it, as the local backend names it: "AlgorithmError: host algo-2: ...". */
    static String hostReason(String host, String reason) {
        var classed = Pattern.compile("(\\w+Error): ").matcher(reason);
        return FailureReason.truncate(classed.lookingAt()
                ? classed.group(1) + ": host " + host + ": " + reason.substring(classed.end())
                : "host " + host + ": " + reason);
    }

    private String mergeArtifacts(KubernetesRun run, JobDirectory dir, List<String> hosts) throws IOException {
        HostArtifacts.merge(objectStore, outputPrefix(run), hosts, dir.state("merging"));
        return run.modelUri();
    }

    /** {@code <S3OutputPath>/<job>/output/}, from the model's location. */
    private static String outputPrefix(KubernetesRun run) {
        return run.modelUri().substring(0, run.modelUri().length() - "model.tar.gz".length());
    }

    private static List<String> hostNames(KubernetesRun run) {
        return java.util.stream.IntStream.rangeClosed(1, run.hosts()).mapToObj(TrainingHost::nameOf).toList();
    }

    /** The newest pod of each host of a run of several, by its host label. */
    private java.util.Map<String, Pod> hostPods(KubernetesRun run) {
        java.util.Map<String, Pod> pods = new java.util.HashMap<>();
        for (Pod pod : client.pods().inNamespace(run.namespace()).withLabel(JobSpecs.TRAINING_JOB, run.trainingJob()).list()
                .getItems()) {
            String host = pod.getMetadata().getLabels().get(JobSpecs.HOST);
            if (host == null) continue;
            Pod seen = pods.get(host);
            String created = pod.getMetadata().getCreationTimestamp() == null ? "" : pod.getMetadata().getCreationTimestamp();
            if (seen == null || created.compareTo(seen.getMetadata().getCreationTimestamp() == null ? ""
                    : seen.getMetadata().getCreationTimestamp()) > 0) pods.put(host, pod);
        }
        return pods;
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
        if (run.hosts() > 1)
            client.services().inNamespace(run.namespace()).withName(JobSpecs.serviceName(run.trainingJob())).delete();
    }

    /**
     * Appends to the saved log what the pod's training container printed since the last poll. A plain
     * GET of {@code pods/<name>/log}: the client's getLogInputStream first waits for the pod to be
     * Ready with a list and a watch of its own, on every poll. With {@code ended} the container has exited.
     */
    private void fetchLog(KubernetesRun run, Pod pod, JobDirectory dir, boolean ended) throws IOException {
        String path = "api/v1/namespaces/" + run.namespace() + "/pods/" + pod.getMetadata().getName()
                + "/log?container=" + JobSpecs.CONTAINER + logs.query(dir);
        var http = client.getHttpClient();
        try {
            var response = http.sendAsync(http.newHttpRequestBuilder()
                    .uri(client.getMasterUrl().toURI().resolve(path)).build(), InputStream.class)
                    .get(LOG_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            try (InputStream in = response.body()) {
                if (response.isSuccessful()) logs.append(dir, in, ended);   // else not readable yet, or gone: the next poll tries again
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

    /** Deletes every host's Job and, in the foreground, its pod: SIGTERM now, SIGKILL after {@code grace}. */
    private void deleteJob(KubernetesRun run, Duration grace) {
        for (String job : run.jobs()) deleteJob(run, job, grace);
    }

    private void deleteJob(KubernetesRun run, String job, Duration grace) {
        client.batch().v1().jobs().inNamespace(run.namespace()).withName(job)
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
