package dev.vernier.backend.slurm;

import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.training.artifacts.Artifacts;
import dev.vernier.training.jobdir.ChannelStaging;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import dev.vernier.training.jobdir.TrainingEnvironment;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.log.LogCap;
import dev.vernier.training.log.LogTailer;
import dev.vernier.training.run.LaunchRecord;
import dev.vernier.training.run.ResultFile;
import dev.vernier.training.run.RunFinisher;
import dev.vernier.training.run.StopDeadlines;
import dev.vernier.training.run.StopRequest;
import dev.vernier.training.wrapper.Wrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs each training job as one Slurm batch job, named after it, in its job directory on the
 * shared file system, under the contract's wrapper. The job directory is the source of truth, as
 * submitit has it: the wrapper's pid file says the program started, its exit_code file how it
 * ended, Slurm's output file is the log; squeue says whether the job still waits, runs, or ended
 * without a word (node failure, preemption, cancellation by someone else).
 */
public final class SlurmTrainingBackend implements TrainingBackend {
    private static final System.Logger LOG = System.getLogger(SlurmTrainingBackend.class.getName());
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final String HANDLE_FILE = "handle.json";
    /** How long an ended Slurm job may go without its exit_code file appearing (a shared file system's caches) before it counts as lost. */
    private static final Duration EXIT_FILE_WAIT = Duration.ofSeconds(5);
    /** Slurm's own time limit is a backstop behind MaxRuntimeInSeconds and the grace period, by this much. */
    private static final Duration TIME_LIMIT_MARGIN = Duration.ofMinutes(2);
    /** How long after its start a job that shows waiting again counts as requeued (a listing may be older than the start). */
    private static final Duration REQUEUE_SETTLE = Duration.ofSeconds(5);
    /** How often squeue is asked about a job whose program runs, and about one still waiting to start. */
    private static final Duration RUNNING_CHECK = Duration.ofSeconds(5);
    private static final Duration WAITING_CHECK = Duration.ofSeconds(1);
    /** Slurm's states of a job that the cluster, not its program, ended. */
    private static final java.util.Set<String> LOST = java.util.Set.of("NODE_FAIL", "PREEMPTED", "BOOT_FAIL");

    private final SlurmSettings settings;
    private final ObjectStore objectStore;
    private final ImagePrograms images;
    private final RunFinisher finisher;
    private final SlurmCli slurm;
    private final ExitWatcher watcher = new ExitWatcher();
    private final Map<Path, Launched> launches = new ConcurrentHashMap<>();
    /** When each job's Slurm state was last asked for. */
    private final Map<Long, Instant> queueChecked = new ConcurrentHashMap<>();
    /** Ended Slurm jobs seen without an exit_code file, and since when. */
    private final Map<Long, Instant> endedWithoutExit = new ConcurrentHashMap<>();

    private record Launched(LaunchRecord record, MetricParser parser) {
        Launched(LaunchRecord record) {
            this(record, new MetricParser(record.metricDefinitions()));
        }
    }

    public SlurmTrainingBackend(SlurmSettings settings, ObjectStore objectStore) {
        this(settings, objectStore, new SlurmCli());
    }

    SlurmTrainingBackend(SlurmSettings settings, ObjectStore objectStore, SlurmCli slurm) {
        this.settings = settings;
        this.objectStore = objectStore;
        this.images = new ImagePrograms(settings.imagePrograms());
        this.finisher = new RunFinisher(objectStore);
        this.slurm = slurm;
    }

    /** Told when a run this process launched or polls writes its exit code (the job directory is watched, Slurm is not asked). */
    @Override
    public void onRunExit(Runnable listener) {
        watcher.listener(listener);
    }

    /** The directory a job runs in. */
    public Path jobDirectory(String trainingJobName) {
        if (!JOB_NAME.matcher(trainingJobName).matches())
            throw new IllegalArgumentException("not a training job name: " + trainingJobName);
        return settings.jobsRoot().resolve(trainingJobName);
    }

    @Override
    public void check(TrainingJobSpec spec) {
        InstanceTypes.Resources resources = checkLocally(spec);
        slurm.neverRuns(resourceOptions(spec, resources)).ifPresent(why -> {
            throw new UnsupportedTrainingFeatureException("InstanceType " + spec.resources().instanceType()
                    + " (" + describe(resources) + ") can never run on this Slurm cluster: " + why);
        });
    }

    /** What can be checked without asking Slurm; the resources the job asks for. */
    private InstanceTypes.Resources checkLocally(TrainingJobSpec spec) {
        images.resolve(spec.trainingImage());
        List<String> problems = new ArrayList<>();
        if (spec.resources().instanceCount() > 1)
            problems.add("InstanceCount " + spec.resources().instanceCount() + " (distributed training) is not supported "
                    + "by the Slurm backend yet: use InstanceCount 1");
        if (spec.enableNetworkIsolation())
            problems.add("EnableNetworkIsolation is not supported by the Slurm backend yet");
        Optional<InstanceTypes.Resources> resources = settings.instanceTypes().of(spec.resources().instanceType());
        if (resources.isEmpty())
            problems.add("InstanceType " + spec.resources().instanceType() + " is not in this server's table of instance "
                    + "types for Slurm (add it to the setting slurm-instance-types as type=CPUs:MiB:GPUs; known: "
                    + settings.instanceTypes().known() + ")");
        problems.addAll(ChannelStaging.problems(spec, objectStore));
        Artifacts.outputPathProblem(spec, objectStore).ifPresent(problems::add);
        if (!problems.isEmpty()) throw new UnsupportedTrainingFeatureException(String.join("; ", problems));
        return resources.orElseThrow();
    }

    private static String describe(InstanceTypes.Resources r) {
        return r.cpus() + " CPUs, " + (r.memoryMib() == 0 ? "any memory" : r.memoryMib() + " MiB")
                + (r.gpus() == 0 ? "" : ", " + r.gpus() + " GPUs");
    }

    /** The sbatch options that say where and with what the job runs. */
    private List<String> resourceOptions(TrainingJobSpec spec, InstanceTypes.Resources r) {
        List<String> o = new ArrayList<>(List.of("--nodes=1", "--ntasks=1", "--cpus-per-task=" + r.cpus()));
        if (r.memoryMib() > 0) o.add("--mem=" + r.memoryMib() + "M");
        if (r.gpus() > 0) o.add("--gres=gpu:" + r.gpus());
        long limit = Duration.ofSeconds(spec.maxRuntimeInSeconds()).plus(settings.stopGracePeriod())
                .plus(TIME_LIMIT_MARGIN).toSeconds();
        o.add("--time=" + ((limit + 59) / 60));
        if (!settings.partition().isEmpty()) o.add("--partition=" + settings.partition());
        if (!settings.account().isEmpty()) o.add("--account=" + settings.account());
        if (!settings.qos().isEmpty()) o.add("--qos=" + settings.qos());
        o.addAll(settings.extraOptions());
        return o;
    }

    @Override
    public LaunchedRun launch(TrainingJobSpec spec) {
        InstanceTypes.Resources resources = checkLocally(spec);
        JobDirectory dir = new JobDirectory(jobDirectory(spec.trainingJobName()));
        Path handleFile = dir.state(HANDLE_FILE);
        try {
            if (Files.exists(handleFile)) return launched(SlurmRun.fromJson(Files.readString(handleFile)), dir);
            if (LaunchRecord.exists(dir)) {
                SlurmRun adopted = adoptUnrecordedSubmission(dir, spec);
                if (adopted != null) return launched(adopted, dir);
            }
            deleteRecursively(dir.root());   // leftovers of a launch that crashed before submitting
            TrainingHost host = TrainingHost.single(resources.cpus(), resources.gpus());
            dir.create(spec, host);
            ChannelStaging.stage(spec, dir, objectStore);   // Pipe feeding ends by itself with the job's exit code
            LaunchRecord record = LaunchRecord.of(spec, settings.logCapBytes(), settings.clock().instant());
            Map<String, String> environment = TrainingEnvironment.of(spec, dir, host);
            Path script = BatchScript.write(dir, Wrapper.command(
                    List.of(images.resolve(spec.trainingImage()).toString(), "train"), environment), environment);
            if (!Files.exists(dir.log())) Files.createFile(dir.log());   // the job directory may have made it (private)
            launches.put(dir.root(), new Launched(record));
            record.write(dir);   // from here on a Slurm job may exist: launching again looks for it first
            List<String> options = new ArrayList<>(List.of("--job-name=" + spec.trainingJobName(),
                    "--chdir=" + dir.root(), "--output=" + dir.log(), "--open-mode=append", "--no-requeue"));
            options.addAll(resourceOptions(spec, resources));
            long id = slurm.submit(options, script);
            SlurmRun run = new SlurmRun(spec.trainingJobName(), dir.root().toString(), id, 0, false,
                    record.launchTime(), null, null);
            StateFiles.write(handleFile, run.toJson());
            return launched(run, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("launching " + spec.trainingJobName() + ": " + e.getMessage(), e);
        }
    }

    private LaunchedRun launched(SlurmRun run, JobDirectory dir) {
        watcher.watch(dir);
        return new LaunchedRun(run.toHandle(), run.launchTime());
    }

    /**
     * The server died after writing the launch record and before recording sbatch's answer: the job
     * was submitted if the batch script recorded its id (it ran) or squeue knows a job of this name
     * working in this directory. Null when it was not submitted.
     */
    private SlurmRun adoptUnrecordedSubmission(JobDirectory dir, TrainingJobSpec spec) throws IOException {
        Long id = null;
        Path recorded = dir.state(BatchScript.JOB_ID);
        if (Files.exists(recorded)) {
            try {
                id = Long.parseLong(Files.readString(recorded).strip());
            } catch (NumberFormatException e) {
                // being written: squeue knows it
            }
        }
        if (id == null) {
            List<Long> found = slurm.jobsNamed(spec.trainingJobName(), dir.root());
            if (found.size() > 1) found.subList(0, found.size() - 1).forEach(slurm::cancel);   // never two
            if (!found.isEmpty()) id = found.getLast();
        }
        if (id == null) return null;
        LOG.log(System.Logger.Level.INFO, "training job {0}: adopted Slurm job {1}, submitted by a server that "
                + "stopped before recording it", spec.trainingJobName(), id);
        SlurmRun run = new SlurmRun(spec.trainingJobName(), dir.root().toString(), id, 0, false,
                LaunchRecord.read(dir).launchTime(), null, null);
        StateFiles.write(dir.state(HANDLE_FILE), run.toJson());
        return run;
    }

    @Override
    public RunObservation poll(RunHandle stored) {
        SlurmRun handle = SlurmRun.from(stored);
        try {
            JobDirectory dir = new JobDirectory(Path.of(handle.jobDir()));
            Launched launched = launched(dir);
            Instant now = settings.clock().instant();
            StopRequest stop = StopRequest.read(dir);
            SlurmRun h = stop != null ? handle.withStop(stop.at(), stop.cause()) : handle;
            LogTailer tailer = new LogTailer(launched.parser());
            LogCap cap = new LogCap(launched.record().logCapBytes(), LogCap.DEFAULT_TAIL_BYTES);
            RunResult result = ResultFile.read(dir);

            if (result == null && !Wrapper.exitRecorded(dir)) {
                boolean started = Files.exists(dir.state(Wrapper.PID));
                if (!queueCheckDue(h.slurmJobId(), started, now)) {
                    h = enforceDeadlines(h, dir, launched.record(), stop, now);
                    return running(h, dir, cap, tailer, StopRequest.read(dir), now);
                }
                Optional<SlurmCli.QueuedJob> job = slurm.job(h.slurmJobId());
                if (job.isEmpty() || job.get().ended()) {
                    if (stop == null) {
                        Instant first = endedWithoutExit.computeIfAbsent(h.slurmJobId(), id -> now);
                        if (now.isBefore(first.plus(EXIT_FILE_WAIT)))
                            return running(h, dir, cap, tailer, stop, now);
                        endedWithoutExit.remove(h.slurmJobId());
                        forget(dir, h.slurmJobId());
                        return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, "InternalServerError: "
                                + "Slurm job " + h.slurmJobId() + job.map(j -> " ended " + j.state()
                                + (j.reason().equals("None") ? "" : " (" + j.reason() + ")")
                                + (j.nodes().isBlank() ? "" : " on " + j.nodes())).orElse(" is gone")
                                + " without the training program recording an exit code");
                    }
                    // asked to stop and ended without an exit code (killed, or cancelled before it started): finish
                } else {
                    if (job.get().pending() && requeued(h, dir)) {
                        // Requeued after it had started: its first run is lost, and a second must not run unseen.
                        slurm.cancel(h.slurmJobId());
                        forget(dir, h.slurmJobId());
                        return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, "InternalServerError: "
                                + "Slurm job " + h.slurmJobId() + " was requeued (" + job.get().reason() + ")");
                    }
                    h = enforceDeadlines(h, dir, launched.record(), stop, now);
                    return running(h, dir, cap, tailer, StopRequest.read(dir), now);
                }
            }
            endedWithoutExit.remove(h.slurmJobId());
            if (result == null && stop == null) {
                Optional<String> lost = lostToSlurm(h, dir);
                if (lost.isPresent()) {
                    forget(dir, h.slurmJobId());
                    return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, lost.get());
                }
            }
            var read = cap.isCompacted(dir)
                    ? new LogTailer.Progress(List.of(), Files.size(dir.log()), false, true)
                    : readLog(dir, cap, tailer, h, true, now);
            h = h.withLog(read.offset(), read.inLongLine());
            boolean compactsNext = result == null && !read.points().isEmpty() && cap.compacts(dir);
            if (!read.reachedEnd() || compactsNext)
                return new RunObservation(h.toHandle(), stop != null ? Phase.STOPPING : Phase.RUNNING, read.points(),
                        null, null);
            if (result == null) {
                h = h.withLog(cap.compact(dir), false);
                result = finisher.finish(dir, launched.record(), stop, Wrapper.readExit(dir), now);
            }
            forget(dir, h.slurmJobId());
            return new RunObservation(h.toHandle(), Phase.FINISHED, read.points(), result, null);
        } catch (IOException e) {
            throw new UncheckedIOException("polling " + handle.jobName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether this poll asks Slurm about the job: squeue is slow (0.6 s with a few hundred jobs on a
     * loaded machine) and the job directory says most of what matters, so a running job's state is
     * asked for every few seconds (to notice a job lost without an exit code), a waiting one's every
     * second, and one seen ended without an exit code at every poll.
     */
    private boolean queueCheckDue(long id, boolean started, Instant now) {
        if (endedWithoutExit.containsKey(id)) return true;
        Instant last = queueChecked.get(id);
        if (last != null && now.isBefore(last.plus(started ? RUNNING_CHECK : WAITING_CHECK))) return false;
        queueChecked.put(id, now);
        return true;
    }

    /**
     * Whether a job that the shared listing shows waiting had in fact started before (its pid file is
     * there) and still waits now: it was requeued. A listing older than the pid file only shows a job
     * that has started since, so squeue is asked afresh and the pid file must be older than a listing.
     */
    private boolean requeued(SlurmRun h, JobDirectory dir) throws IOException {
        Path pid = dir.state(Wrapper.PID);
        if (!Files.exists(pid)) return false;
        Instant started = Files.getLastModifiedTime(pid).toInstant();
        if (settings.clock().instant().isBefore(started.plus(REQUEUE_SETTLE))) return false;
        return slurm.jobNow(h.slurmJobId()).map(SlurmCli.QueuedJob::pending).orElse(false);
    }

    /**
     * A program that Slurm killed because its node failed or its job was preempted records a
     * failing exit code (the wrapper outlives the SIGTERM): that is the cluster's doing, not the
     * program's, so it is an internal error to retry, as SageMaker retries a lost instance.
     */
    private Optional<String> lostToSlurm(SlurmRun h, JobDirectory dir) throws IOException {
        var exit = Wrapper.readExit(dir);
        if (exit == null || exit.code() == null || exit.code() == 0) return Optional.empty();
        return slurm.job(h.slurmJobId()).filter(j -> LOST.contains(j.state())).map(j -> "InternalServerError: Slurm job "
                + h.slurmJobId() + " ended " + j.state() + (j.nodes().isBlank() ? "" : " on " + j.nodes())
                + " (the training program exited with " + exit.code() + ")");
    }

    private RunObservation running(SlurmRun h, JobDirectory dir, LogCap cap, LogTailer tailer, StopRequest stop,
                                   Instant now) throws IOException {
        watcher.watch(dir);
        var read = readLog(dir, cap, tailer, h, false, now);
        SlurmRun next = h.withLog(read.offset(), read.inLongLine());
        if (stop != null && next.stopRequestedAt() == null) next = next.withStop(stop.at(), stop.cause());
        return new RunObservation(next.toHandle(), next.stopRequestedAt() != null ? Phase.STOPPING : Phase.RUNNING,
                read.points(), null, null);
    }

    /**
     * MaxRuntimeInSeconds counts from when the program started (the wrapper's pid file), not from
     * submission: time spent waiting in Slurm's queue is not training time. Slurm's own --time is only a backstop.
     */
    private SlurmRun enforceDeadlines(SlurmRun h, JobDirectory dir, LaunchRecord launch, StopRequest stop, Instant now)
            throws IOException {
        Path pid = dir.state(Wrapper.PID);
        if (stop == null && !Files.exists(pid)) return h;
        LaunchRecord fromStart = stop != null ? launch : new LaunchRecord(launch.jobName(), launch.metricDefinitions(),
                launch.maxRuntimeSeconds(), launch.outputPrefix(), launch.logCapBytes(),
                Files.getLastModifiedTime(pid).toInstant());
        return switch (StopDeadlines.due(fromStart, stop, settings.stopGracePeriod(), now)) {
            case STOP_FOR_MAX_RUNTIME -> stop(h, StopCause.MAX_RUNTIME_EXCEEDED);
            case KILL -> {
                Long group = Wrapper.readPid(dir);
                if (group != null) slurm.killGroup(h.slurmJobId(), group);
                slurm.cancel(h.slurmJobId());   // and whatever is left, after the cluster's KillWait
                yield h;
            }
            case NOTHING -> h;
        };
    }

    private LogTailer.Progress readLog(JobDirectory dir, LogCap cap, LogTailer tailer, SlurmRun h, boolean ended,
                                       Instant now) throws IOException {
        LogCap.Position from = cap.skipBacklog(dir.log(), h.logOffset(), h.inLongLine(), SlurmSettings.POLL_BUDGET_BYTES);
        var read = tailer.read(dir.log(), from.offset(), from.inLongLine(), ended, SlurmSettings.POLL_BUDGET_BYTES, now);
        cap.dropParsed(dir, read.offset());
        return read;
    }

    @Override
    public RunHandle stop(RunHandle handle, StopCause cause) {
        return stop(SlurmRun.from(handle), cause).toHandle();
    }

    /**
     * Records the first stop request, then: a program that has started gets SIGTERM through
     * {@code scancel --full} (the batch shell and all it started; the wrapper outlives it to record
     * the exit code); a job whose program has not started is cancelled outright (a signal to a job
     * that Slurm has allocated but not yet launched is lost).
     */
    private SlurmRun stop(SlurmRun handle, StopCause cause) {
        try {
            JobDirectory dir = new JobDirectory(Path.of(handle.jobDir()));
            StopRequest earlier = StopRequest.read(dir);
            if (earlier != null) return handle.withStop(earlier.at(), earlier.cause());
            if (Wrapper.exitRecorded(dir) || ResultFile.read(dir) != null) return handle;
            var request = new StopRequest(settings.clock().instant(), cause);
            request.write(dir);
            if (Files.exists(dir.state(Wrapper.PID))) slurm.signal(handle.slurmJobId(), "TERM");
            else slurm.cancel(handle.slurmJobId());
            return handle.withStop(request.at(), request.cause());
        } catch (IOException e) {
            throw new UncheckedIOException("stopping " + handle.jobName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public LogChunk readLog(RunHandle stored, long offset, int maxBytes) {
        SlurmRun handle = SlurmRun.from(stored);
        try {
            return LogCap.read(new JobDirectory(Path.of(handle.jobDir())), offset, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the log of " + handle.jobName(), e);
        }
    }

    @Override
    public void close() {
        watcher.close();
    }

    private void forget(JobDirectory dir, long slurmJobId) {
        queueChecked.remove(slurmJobId);
        launches.remove(dir.root());
        watcher.unwatch(dir);
    }

    private Launched launched(JobDirectory dir) throws IOException {
        Launched cached = launches.get(dir.root());
        if (cached != null) return cached;
        Launched read = new Launched(LaunchRecord.read(dir));
        launches.put(dir.root(), read);
        return read;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }
}
