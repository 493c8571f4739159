package dev.vernier.backend.slurm;

import dev.vernier.backend.local.JobCommands;
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
import dev.vernier.training.hosts.HostNamespaces;
import dev.vernier.training.image.ImagePrograms;
import dev.vernier.training.jobdir.ChannelStaging;
import dev.vernier.training.jobdir.HostDirectories;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import dev.vernier.training.jobdir.TrainingEnvironment;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.log.LogCap;
import dev.vernier.training.log.LogTailer;
import dev.vernier.training.log.RunLog;
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
    /** In the job directory of a job whose TrainingImage runs as a container. */
    private static final String CONTAINER = "container_job";
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    /** What a launch answers: the job is Starting until a poll finds its program started. */
    static final String SUBMITTING = "Submitting the job to Slurm";
    /** How long an ended Slurm job may go without its exit_code file appearing (a shared file system's caches) before it counts as lost. */
    private static final Duration EXIT_FILE_WAIT = Duration.ofSeconds(5);
    /** How long an exit_code file may stay empty (sh creates it, then writes) before it counts as recorded without a code. */
    private static final Duration EXIT_WRITE_WAIT = Duration.ofSeconds(2);
    /** Slurm's own time limit is a backstop behind MaxRuntimeInSeconds and the grace period, by this much. */
    private static final Duration TIME_LIMIT_MARGIN = Duration.ofMinutes(2);
    /** How long after its start a job that shows waiting again counts as requeued (a listing may be older than the start). */
    private static final Duration REQUEUE_SETTLE = Duration.ofSeconds(5);
    /** How often squeue is asked about a job whose program runs, and about one still waiting to start. */
    private static final Duration RUNNING_CHECK = Duration.ofSeconds(5);
    private static final Duration WAITING_CHECK = Duration.ofSeconds(2);
    /** Slurm's states of a job that the cluster, not its program, ended. */
    private static final java.util.Set<String> LOST = java.util.Set.of("NODE_FAIL", "PREEMPTED", "BOOT_FAIL");

    private final SlurmSettings settings;
    private final ObjectStore objectStore;
    private final ImagePrograms images;
    private final RunFinisher finisher;
    private final SlurmCli slurm;
    private final ExitWatcher watcher = new ExitWatcher();
    private final Submissions submissions;
    private final QueueListing queue;
    private final Map<Path, Launched> launches = new ConcurrentHashMap<>();
    /** When each job's Slurm state was last learnt from a listing. */
    private final Map<Long, Instant> queueChecked = new ConcurrentHashMap<>();
    /** When each job's Slurm state was asked for, while no listing has answered yet. */
    private final Map<Long, Instant> queueAsked = new ConcurrentHashMap<>();
    /** Jobs whose program recorded a failing exit code, and since when: Slurm says whether the cluster killed it. */
    private final Map<Long, Instant> failedExitSeen = new ConcurrentHashMap<>();
    /** Ended Slurm jobs seen without an exit_code file, and since when. */
    private final Map<Long, Instant> endedWithoutExit = new ConcurrentHashMap<>();
    /** Runs TrainingImages that name container images, or null when the nodes' engine is not to be used. */
    private final JobCommands containers;

    private record Launched(LaunchRecord record, MetricParser parser) {
        Launched(LaunchRecord record) {
            this(record, new MetricParser(record.metricDefinitions()));
        }
    }

    public SlurmTrainingBackend(SlurmSettings settings, ObjectStore objectStore) {
        this(settings, objectStore, new SlurmCli(), null);
    }

    /** @param containers runs TrainingImages that name container images on the nodes; null: such images are refused */
    public SlurmTrainingBackend(SlurmSettings settings, ObjectStore objectStore, JobCommands containers) {
        this(settings, objectStore, new SlurmCli(), containers);
    }

    SlurmTrainingBackend(SlurmSettings settings, ObjectStore objectStore, SlurmCli slurm) {
        this(settings, objectStore, slurm, null);
    }

    SlurmTrainingBackend(SlurmSettings settings, ObjectStore objectStore, SlurmCli slurm, JobCommands containers) {
        this.settings = settings;
        this.objectStore = objectStore;
        this.containers = containers;
        this.images = new ImagePrograms(settings.imagePrograms(), "Slurm backend: use file:///absolute/path/to/program on "
                + "the shared file system, map the image to a program in the setting slurm-images, or run images "
                + "through the nodes' container engine (setting slurm-container-engine)", "program");
        this.finisher = new RunFinisher(objectStore);
        this.slurm = slurm;
        this.submissions = new Submissions(slurm, settings.clock());
        this.queue = new QueueListing(slurm::listing, settings.clock());
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
        if (spec.inputChannels().stream().anyMatch(c -> c.modeIn(spec).equals("Pipe")))
            SlurmNodes.elsewhere(slurm.nodes(settings.partition())).ifPresent(node -> {
                throw new UnsupportedTrainingFeatureException("Pipe input mode needs every node of "
                        + (settings.partition().isEmpty() ? "this Slurm cluster" : "Slurm partition " + settings.partition())
                        + " to be this server's machine (a Pipe channel is a FIFO fed from here), but node " + node
                        + " is another machine: use File input mode on this cluster");
            });
    }

    /** What can be checked without asking Slurm; the resources the job asks for. */
    private InstanceTypes.Resources checkLocally(TrainingJobSpec spec) {
        List<String> problems = new ArrayList<>();
        if (runsInContainer(spec)) {
            problems.addAll(containers.problems(spec));   // the image is looked for on this machine's engine
            if (spec.resources().instanceCount() > 1)
                problems.add("InstanceCount " + spec.resources().instanceCount() + " with a container image is not "
                        + "supported by the Slurm backend yet (use one instance, or a file:// program)");
        } else {
            images.resolve(spec.trainingImage());
        }
        int count = spec.resources().instanceCount();
        if (count > 1 && HostNamespaces.detect().prefix == null) problems.add(HostNamespaces.detect().problem);
        if (count > HostNamespaces.MAX_HOSTS)
            problems.add("InstanceCount " + count + " is more hosts than the Slurm backend runs in one job: at most "
                    + HostNamespaces.MAX_HOSTS);
        if (spec.enableNetworkIsolation())
            problems.add("EnableNetworkIsolation is not supported by the Slurm backend yet");
        Optional<InstanceTypes.Resources> resources = settings.instanceTypes().of(spec.resources().instanceType());
        if (runsInContainer(spec) && resources.filter(r -> r.gpus() > 0).isPresent())
            problems.add("GPU instance types with a container image are not supported by the Slurm backend yet");
        if (resources.isEmpty())
            problems.add("InstanceType " + spec.resources().instanceType() + " is not in this server's table of instance "
                    + "types for Slurm (add it to the setting slurm-instance-types as type=CPUs:MiB:GPUs; known: "
                    + settings.instanceTypes().known() + ")");
        problems.addAll(ChannelStaging.problems(spec, objectStore));
        Artifacts.outputPathProblem(spec, objectStore).ifPresent(problems::add);
        if (!problems.isEmpty()) throw new UnsupportedTrainingFeatureException(String.join("; ", problems));
        return resources.orElseThrow();
    }

    /** Whether the job's TrainingImage names a container image, run through the nodes' engine. */
    private boolean runsInContainer(TrainingJobSpec spec) {
        return containers != null && !spec.trainingImage().startsWith("file:")
                && !settings.imagePrograms().containsKey(spec.trainingImage());
    }

    private static String describe(InstanceTypes.Resources r) {
        return r.cpus() + " CPUs, " + (r.memoryMib() == 0 ? "any memory" : r.memoryMib() + " MiB")
                + (r.gpus() == 0 ? "" : ", " + r.gpus() + " GPUs");
    }

    /** The sbatch options that say where and with what the job runs. */
    private List<String> resourceOptions(TrainingJobSpec spec, InstanceTypes.Resources r) {
        int hosts = spec.resources().instanceCount();
        List<String> o = new ArrayList<>(hosts == 1 ? List.of("--nodes=1", "--ntasks=1")
                : List.of("--nodes=" + hosts, "--ntasks-per-node=1"));
        o.add("--cpus-per-task=" + r.cpus());
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

    /**
     * Prepares the job directory and starts submitting it ({@link Submissions}), without waiting for
     * sbatch: the handle has no Slurm job id yet, and a poll learns it. Launching a job that has a
     * launch record again answers the same run; the polls find its Slurm job or submit it.
     */
    @Override
    public LaunchedRun launch(TrainingJobSpec spec) {
        InstanceTypes.Resources resources = checkLocally(spec);
        JobDirectory dir = new JobDirectory(jobDirectory(spec.trainingJobName()));
        try {
            if (LaunchRecord.exists(dir)) return launched(unsubmittedRun(dir, LaunchRecord.read(dir)), dir);
            deleteRecursively(dir.root());   // leftovers of a launch that crashed before its launch record
            LaunchRecord record = LaunchRecord.of(spec, settings.logCapBytes(), settings.clock().instant());
            if (runsInContainer(spec)) {
                TrainingHost host = TrainingHost.single(resources.cpus(), resources.gpus());
                dir.create(spec, host);
                ChannelStaging.stage(spec, dir, objectStore);
                JobCommands.Command run = containers.command(spec, dir, host);
                StateFiles.write(dir.state(CONTAINER), spec.trainingJobName() + "\n");
                BatchScript.write(dir, Wrapper.command(run.program(), run.environment()), run.environment(), false);
            } else if (spec.resources().instanceCount() > 1) {
                List<String> program = List.of(images.resolve(spec.trainingImage()).toString(), "train");
                writeHostsJob(spec, resources, dir, program);
            } else {
                List<String> program = List.of(images.resolve(spec.trainingImage()).toString(), "train");
                TrainingHost host = TrainingHost.single(resources.cpus(), resources.gpus());
                dir.create(spec, host);
                ChannelStaging.stage(spec, dir, objectStore);   // Pipe feeding ends by itself with the job's exit code
                Map<String, String> environment = TrainingEnvironment.of(spec, dir, host);
                BatchScript.write(dir, Wrapper.command(program, environment), environment, false);
            }
            if (!Files.exists(dir.log())) Files.createFile(dir.log());   // the job directory may have made it (private)
            List<String> options = new ArrayList<>(List.of("--job-name=" + spec.trainingJobName(),
                    "--chdir=" + dir.root(), "--output=" + dir.log(), "--open-mode=append", "--no-requeue"));
            options.addAll(resourceOptions(spec, resources));
            Submissions.writeOptions(dir, options);
            launches.put(dir.root(), new Launched(record));
            record.write(dir);   // from here on a Slurm job may exist: polls look for it before submitting
            SlurmRun run = unsubmittedRun(dir, record);
            submissions.start(dir, run);
            return launched(run, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("launching " + spec.trainingJobName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A job of several hosts: one directory per host, and under the wrapper the supervisor of
     * {@link HostNamespaces}, which starts host k on node k of the allocation ({@code srun --relative=k-1}) in
     * namespaces of its own, fails the job when a host fails and stops the other hosts; the batch script maps
     * algo-k to node k's address, or keeps the job's loopback addresses when the nodes share one machine.
     */
    private void writeHostsJob(TrainingJobSpec spec, InstanceTypes.Resources resources, JobDirectory dir,
                               List<String> program) throws IOException {
        List<TrainingHost> hosts = TrainingHost.cluster(spec.resources().instanceCount(), resources.cpus(),
                resources.gpus(), "eth0");
        List<JobDirectory> hostDirs = HostDirectories.create(dir, spec, hosts);
        HostNamespaces.prepare(dir, hosts);
        JobDirectory seenByProgram = new JobDirectory(dir.root().resolve(HostNamespaces.VIEW));
        List<Map<String, String>> environments = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            ChannelStaging.stage(spec, hostDirs.get(i), objectStore, hosts.get(i));
            environments.add(TrainingEnvironment.of(spec, seenByProgram, hosts.get(i)));
        }
        Map<String, String> environment = HostNamespaces.environment(environments);
        List<String> placement = List.of("srun", "--nodes=1", "--ntasks=1", "--relative=" + HostNamespaces.HOST_OFFSET,
                "--quiet");
        List<String> supervisor = HostNamespaces.detect().supervisor(dir, hosts.size(), settings.logCapBytes(),
                placement, SlurmCli.SIGNAL_STEPS_OF_THIS_JOB, program);
        BatchScript.write(dir, Wrapper.command(supervisor, environment), environment, true);
    }

    private static SlurmRun unsubmittedRun(JobDirectory dir, LaunchRecord record) {
        return new SlurmRun(record.jobName(), dir.root().toString(), 0, 0, false, record.launchTime(), null, null);
    }

    private LaunchedRun launched(SlurmRun run, JobDirectory dir) {
        watcher.watch(dir);
        return new LaunchedRun(run.toHandle(), run.launchTime(), SUBMITTING);
    }

    /**
     * The server died after writing the launch record and before recording sbatch's answer: the job
     * was submitted if the batch script recorded its id (it ran) or squeue knows a job of this name
     * working in this directory. 0 when it was not submitted.
     */
    private long adoptUnrecordedSubmission(JobDirectory dir, SlurmRun run) throws IOException {
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
            List<Long> found = slurm.jobsNamed(run.jobName(), dir.root());
            if (found.size() > 1) found.subList(0, found.size() - 1).forEach(slurm::cancel);   // never two
            if (!found.isEmpty()) id = found.getLast();
        }
        if (id == null) return 0;
        LOG.log(System.Logger.Level.INFO, "training job {0}: adopted Slurm job {1}, submitted by a server that "
                + "stopped before recording it", run.jobName(), Long.toString(id));
        Submissions.recordSubmitted(dir, run.withJobId(id));
        return id;
    }

    /**
     * A run whose Slurm job id is not known yet: sbatch is under way (it waits), Slurm refused it (its
     * end), sbatch failed (an internal error, retried), or a server died before or while submitting
     * it, and this poll finds its job or submits it now; a stop asked for before any submission ends it.
     */
    private RunObservation unsubmitted(SlurmRun h, JobDirectory dir, StopRequest stop, Instant now) throws IOException {
        RunResult refused = ResultFile.read(dir);
        if (refused != null) {
            forget(dir, 0);
            return new RunObservation(h.toHandle(), Phase.FINISHED, List.of(), refused, null);
        }
        Optional<RuntimeException> failed = submissions.failure(dir);
        if (failed.isPresent()) {
            forget(dir, 0);
            return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null,
                    "InternalServerError: submitting to Slurm failed: " + failed.get().getMessage());
        }
        if (stop != null) {
            RunResult result = finisher.finish(dir, launched(dir).record(), stop, null, now);
            forget(dir, 0);
            return new RunObservation(h.toHandle(), Phase.FINISHED, List.of(), result, null);
        }
        LOG.log(System.Logger.Level.INFO, "training job {0}: no Slurm job found for its launch record; submitting it",
                h.jobName());
        submissions.start(dir, unsubmittedRun(dir, launched(dir).record()));
        return new RunObservation(h.toHandle(), Phase.RUNNING, List.of(), null, null, SUBMITTING);
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
            if (!h.submitted()) {
                boolean underWay = submissions.underWay(dir);   // before the answer: a submission ends by writing it
                long id = Submissions.submittedId(dir);
                if (id == 0 && underWay)
                    return new RunObservation(h.toHandle(), stop != null ? Phase.STOPPING : Phase.RUNNING, List.of(),
                            null, null, stop != null ? null : SUBMITTING);
                if (id == 0 && ResultFile.read(dir) == null)
                    id = adoptUnrecordedSubmission(dir, h);
                if (id == 0) return unsubmitted(h, dir, stop, now);
                h = h.withJobId(id);
                queueChecked.putIfAbsent(id, now);   // just submitted: Slurm has nothing to say yet that cannot wait
            }
            RunLog log = new RunLog(dir, new LogCap(launched.record().logCapBytes(), LogCap.DEFAULT_TAIL_BYTES),
                    new LogTailer(launched.parser()), SlurmSettings.POLL_BUDGET_BYTES);
            RunResult result = ResultFile.read(dir);

            if (result == null && !exitRecorded(dir, now)) {
                boolean started = Files.exists(dir.state(Wrapper.PID));
                Optional<SlurmCli.QueuedJob> job = queueAnswer(h.slurmJobId(), started);   // empty: no news this poll
                if (job.isPresent() && job.get().ended()) {
                    if (stop == null && HostDirectories.failedHost(dir).isEmpty()) {
                        Instant first = endedWithoutExit.computeIfAbsent(h.slurmJobId(), id -> now);
                        if (now.isBefore(first.plus(EXIT_FILE_WAIT)))
                            return running(h, dir, log, stop, now, started ? null : waitingFor(h.slurmJobId()));
                        endedWithoutExit.remove(h.slurmJobId());
                        forget(dir, h.slurmJobId());
                        return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, "InternalServerError: "
                                + "Slurm job " + h.slurmJobId() + job.filter(j -> !j.isGone()).map(j -> " ended " + j.state()
                                + (j.reason().equals("None") ? "" : " (" + j.reason() + ")")
                                + (j.nodes().isBlank() ? "" : " on " + j.nodes())).orElse(" is gone")
                                + " without the training program recording an exit code");
                    }
                    // asked to stop, or a host failed, and ended without an exit code (killed, or cancelled before it
                    // started): finish
                } else {
                    if (job.isPresent()) endedWithoutExit.remove(h.slurmJobId());   // an older listing's news
                    if (job.isPresent() && job.get().pending() && requeued(h, dir)) {
                        // Requeued after it had started: its first run is lost, and a second must not run unseen.
                        slurm.cancel(h.slurmJobId());
                        forget(dir, h.slurmJobId());
                        return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, "InternalServerError: "
                                + "Slurm job " + h.slurmJobId() + " was requeued (" + job.get().reason() + ")");
                    }
                    h = enforceDeadlines(h, dir, launched.record(), stop, now);
                    StopRequest stopNow = StopRequest.read(dir);
                    return running(h, dir, log, stopNow, now,
                            started || stopNow != null ? null : waitingFor(h.slurmJobId()));
                }
            }
            endedWithoutExit.remove(h.slurmJobId());
            if (result == null && stop == null) {
                Optional<String> lost = lostToSlurm(h, dir);
                if (lost == null) return running(h, dir, log, null, now, null);   // Slurm's word still to come
                if (lost.isPresent()) {
                    forget(dir, h.slurmJobId());
                    return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, lost.get());
                }
            }
            RunLog.Ending end = log.readEnd(h.logOffset(), h.inLongLine(), result != null, now);
            var read = end.read();
            h = h.withLog(read.offset(), read.inLongLine());
            if (!end.complete())
                return new RunObservation(h.toHandle(), stop != null ? Phase.STOPPING : Phase.RUNNING, read.points(),
                        null, null);
            if (result == null) {
                h = h.withLog(log.compact(), false);
                result = finisher.finish(dir, launched.record(), stop, Wrapper.readExit(dir), now);
            }
            forget(dir, h.slurmJobId());
            return new RunObservation(h.toHandle(), Phase.FINISHED, read.points(), result, null);
        } catch (IOException e) {
            throw new UncheckedIOException("polling " + handle.jobName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the wrapper has recorded how the program ended: its exit_code file holds a number, or has
     * stayed empty for a while (the wrapper was killed as it wrote). The shell creates the file before
     * it writes the code, and, unlike the local backend, this one cannot first see the wrapper gone.
     */
    private static boolean exitRecorded(JobDirectory dir, Instant now) throws IOException {
        var exit = Wrapper.readExit(dir);
        return exit != null && (exit.code() != null || now.isAfter(exit.at().plus(EXIT_WRITE_WAIT)));
    }

    /**
     * What Slurm says of the job, when this poll has news: squeue is slow (0.6 s with a few hundred
     * jobs on a loaded machine) and the job directory says most of what matters, so a running job's
     * state is asked for every few seconds (to notice a job lost without an exit code), a waiting
     * one's every two seconds (the first time two seconds after its submission), and one seen ended without an exit code at every poll; the answer is the
     * first listing read after the question ({@link QueueListing}), which a later poll picks up.
     */
    private Optional<SlurmCli.QueuedJob> queueAnswer(long id, boolean started) {
        Instant asked = queueAsked.get(id);
        if (asked == null) {
            Instant now = settings.clock().instant();   // after the id was read: a listing from then on knows the job
            Instant last = queueChecked.get(id);
            if (last != null && !endedWithoutExit.containsKey(id)
                    && now.isBefore(last.plus(started ? RUNNING_CHECK : WAITING_CHECK))) return Optional.empty();
            asked = now;
            queueAsked.put(id, asked);
        }
        Optional<SlurmCli.QueuedJob> answer = queue.job(id, asked);
        if (answer.isPresent()) {
            queueAsked.remove(id);
            queueChecked.put(id, settings.clock().instant());
        }
        return answer;
    }

    /** Why a job whose program has not started waits, as Slurm last said: its reason while pending ("Resources", "Priority"). */
    private String waitingFor(long id) {
        return queue.latest(id).map(j -> j.pending()
                ? "Waiting in Slurm's queue" + (j.reason().equals("None") ? "" : " (reason: " + j.reason() + ")")
                : "Slurm job " + id + " is " + j.state().toLowerCase(java.util.Locale.ROOT)
                        + (j.nodes().isBlank() ? "" : " on " + j.nodes()))
                .orElse("Submitted to Slurm as job " + id);
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
        return Optional.ofNullable(slurm.listing().get(h.slurmJobId())).map(SlurmCli.QueuedJob::pending).orElse(false);
    }

    /**
     * A program that Slurm killed because its node failed or its job was preempted records a
     * failing exit code (the wrapper outlives the SIGTERM): that is the cluster's doing, not the
     * program's, so it is an internal error to retry, as SageMaker retries a lost instance. Null while
     * no listing read since the exit has answered.
     */
    private Optional<String> lostToSlurm(SlurmRun h, JobDirectory dir) throws IOException {
        var exit = Wrapper.readExit(dir);
        if (exit == null || exit.code() == null || exit.code() == 0) return Optional.empty();
        Instant seen = failedExitSeen.computeIfAbsent(h.slurmJobId(), id -> settings.clock().instant());
        Optional<SlurmCli.QueuedJob> job = queue.job(h.slurmJobId(), seen);
        if (job.isEmpty()) return null;
        failedExitSeen.remove(h.slurmJobId());
        return job.filter(j -> LOST.contains(j.state())).map(j -> "InternalServerError: Slurm job "
                + h.slurmJobId() + " ended " + j.state() + (j.nodes().isBlank() ? "" : " on " + j.nodes())
                + " (the training program exited with " + exit.code() + ")");
    }

    /** @param waiting why a program that has not started waits, or null */
    private RunObservation running(SlurmRun h, JobDirectory dir, RunLog log, StopRequest stop, Instant now,
                                   String waiting) throws IOException {
        watcher.watch(dir);
        if (waiting != null) return new RunObservation(h.toHandle(), Phase.RUNNING, List.of(), null, null, waiting);   // no program, no log
        var read = log.read(h.logOffset(), h.inLongLine(), false, now);
        SlurmRun next = h.withLog(read.offset(), read.inLongLine());
        if (stop != null && next.stopRequestedAt() == null) next = next.withStop(stop.at(), stop.cause());
        boolean stopping = next.stopRequestedAt() != null;
        return new RunObservation(next.toHandle(), stopping ? Phase.STOPPING : Phase.RUNNING, read.points(), null, null,
                stopping ? null : waiting);
    }

    /**
     * MaxRuntimeInSeconds counts from when the program started (the wrapper's pid file), not from
     * submission: time spent waiting in Slurm's queue is not training time. Slurm's own --time is only a backstop.
     */
    private SlurmRun enforceDeadlines(SlurmRun h, JobDirectory dir, LaunchRecord launch, StopRequest stop, Instant now)
            throws IOException {
        Path pid = dir.state(Wrapper.PID);
        if (stop == null && !Files.exists(pid)) return h;
        if (stop == null && HostDirectories.outlivedFailure(dir, settings.stopGracePeriod(), now)) return kill(h, dir);
        LaunchRecord fromStart = stop != null ? launch : new LaunchRecord(launch.jobName(), launch.metricDefinitions(),
                launch.maxRuntimeSeconds(), launch.outputPrefix(), launch.logCapBytes(),
                Files.getLastModifiedTime(pid).toInstant());
        return switch (StopDeadlines.due(fromStart, stop, settings.stopGracePeriod(), now)) {
            case STOP_FOR_MAX_RUNTIME -> stop(h, StopCause.MAX_RUNTIME_EXCEEDED);
            case KILL -> kill(h, dir);
            case NOTHING -> h;
        };
    }

    /** SIGKILL to the wrapper's process group, then a cancel for whatever is left (every host's step), after the cluster's KillWait. */
    private SlurmRun kill(SlurmRun h, JobDirectory dir) throws IOException {
        Long group;
        try {
            group = Wrapper.readPid(dir);
        } catch (NumberFormatException e) {
            group = null;   // the wrapper is writing it this moment: the cancel below reaches its processes
        }
        if (group != null) slurm.killGroup(h.slurmJobId(), group);
        slurm.cancel(h.slurmJobId());
        removeContainer(dir);   // the engine's client is killed, its container (not Slurm's process) is not
        return h;
    }

    @Override
    public RunHandle stop(RunHandle handle, StopCause cause) {
        return stop(SlurmRun.from(handle), cause).toHandle();
    }

    /**
     * Records the first stop request, then: a program that has started gets SIGTERM through
     * {@code scancel --full} (the batch shell and all it started; the wrapper outlives it to record
     * the exit code); the hosts of a job of several get it through plain {@code scancel --signal}, every
     * step but not the batch script, whose srun would take SIGTERM for a cancel and SIGKILL its host; a job
     * whose program has not started is cancelled outright (a signal to a job that Slurm has allocated but not
     * yet launched is lost).
     */
    private SlurmRun stop(SlurmRun handle, StopCause cause) {
        try {
            JobDirectory dir = new JobDirectory(Path.of(handle.jobDir()));
            StopRequest earlier = StopRequest.read(dir);
            if (earlier != null) return handle.withStop(earlier.at(), earlier.cause());
            if (Wrapper.exitRecorded(dir) || ResultFile.read(dir) != null) return handle;
            var request = new StopRequest(settings.clock().instant(), cause);
            request.write(dir);
            // not submitted yet: the submission cancels the job when it sees the request (it reads it after
            // recording sbatch's answer), or a poll finds there was none and ends the run
            long id = handle.submitted() ? handle.slurmJobId() : Submissions.submittedId(dir);
            if (id == 0) return handle.withStop(request.at(), request.cause());
            if (Files.exists(dir.state(Wrapper.PID)) && !HostDirectories.all(dir).isEmpty()) slurm.signalSteps(id, "TERM");
            else if (Files.exists(dir.state(Wrapper.PID))) slurm.signal(id, "TERM");
            else slurm.cancel(id);
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
        submissions.close();
        queue.close();
    }

    /**
     * Removes a container job's container, if it is still there: killed with the job's wrapper, the engine's client
     * leaves it running (it is the engine's process, not the job's). A container that ended has removed itself (--rm).
     */
    private void removeContainer(JobDirectory dir) {
        if (containers != null && Files.exists(dir.state(CONTAINER)))
            containers.cleanUp(dir.root().getFileName().toString());
    }

    private void forget(JobDirectory dir, long slurmJobId) {
        removeContainer(dir);
        queueChecked.remove(slurmJobId);
        queueAsked.remove(slurmJobId);
        failedExitSeen.remove(slurmJobId);
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
