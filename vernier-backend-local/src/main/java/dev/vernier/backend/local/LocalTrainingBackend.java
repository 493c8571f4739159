package dev.vernier.backend.local;

import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.training.checkpoints.CheckpointSync;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.training.artifacts.Artifacts;
import dev.vernier.training.hosts.HostNamespaces;
import dev.vernier.training.jobdir.ChannelStaging;
import dev.vernier.training.jobdir.HostDirectories;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.log.LogCap;
import dev.vernier.training.script.ImagePatterns;
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
 * Runs training jobs as local processes under SageMaker's training-job contract.
 *
 * <p>ResourceConfig: the program runs once per host, as {@code algo-1} ... {@code algo-N}
 * (InstanceCount), each host a process tree with its own /opt/ml ({@link HostNamespaces}); InstanceType
 * is only reported to it (resourceconfig.json), VolumeSizeInGB is not enforced.
 */
public final class LocalTrainingBackend implements TrainingBackend {
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    /** The run's {@link LocalRun} as launched, so that launching again finds it. */
    private static final String HANDLE_FILE = "handle.json";
    /** How often a running job's new and changed checkpoint files are copied to CheckpointConfig.S3Uri. */
    private static final Duration CHECKPOINT_PERIOD = Duration.ofSeconds(2);

    private final LocalBackendSettings settings;
    private final ObjectStore objectStore;
    private final JobCommands commands;
    private final RunFinisher finisher;
    /** Who programs run as; found when first needed (it may run getent). */
    private volatile JobUser user;
    /** Programs the job user was found able to run. */
    private final java.util.Set<Path> runnable = ConcurrentHashMap.newKeySet();
    /** Per running job, read once from its directory; dropped when the job ends. */
    private final Map<Path, Launched> launches = new ConcurrentHashMap<>();
    /** Told when a wrapper this process started has exited, so that the job is observed at once. */
    private volatile Runnable onRunExit = () -> { };

    private record Launched(LaunchRecord record, MetricParser parser) {
        Launched(LaunchRecord record) {
            this(record, new MetricParser(record.metricDefinitions()));
        }
    }

    public LocalTrainingBackend(LocalBackendSettings settings, ObjectStore objectStore) {
        this(settings, objectStore, JobCommands.localPrograms(settings.imagePrograms(),
                ImagePatterns.parse("script-images", JobCommands.DEFAULT_SCRIPT_IMAGES), objectStore));
    }

    /** A backend whose wrappers run what {@code commands} says (the container backend's {@code podman run}). */
    public LocalTrainingBackend(LocalBackendSettings settings, ObjectStore objectStore, JobCommands commands) {
        this.settings = settings;
        this.objectStore = objectStore;
        this.commands = commands;
        this.finisher = new RunFinisher(objectStore);
        WrapperLauncher.prepareInBackground();
    }

    /** Runs re-adopted after a restart are not child processes of this server and are only seen by polling. */
    @Override
    public void onRunExit(Runnable listener) {
        this.onRunExit = listener;
    }

    /** Throws {@link dev.vernier.core.training.UnsupportedImageException} when the image cannot run here. */
    public void checkImage(String trainingImage) {
        LocalPrograms.images(settings.imagePrograms()).resolve(trainingImage);
    }

    /** The directory a job runs in. */
    public Path jobDirectory(String trainingJobName) {
        if (!JOB_NAME.matcher(trainingJobName).matches())
            throw new IllegalArgumentException("not a training job name: " + trainingJobName);
        return settings.jobsRoot().resolve(trainingJobName);
    }

    private JobUser user() {
        JobUser u = user;
        if (u == null) user = u = JobUser.of(settings.runAs());
        return u;
    }

    @Override
    public void check(TrainingJobSpec spec) {
        List<String> problems = new ArrayList<>(commands.problems(spec));
        Optional<Path> program = commands.localProgram(spec);
        if (program.isPresent() && !runnable.contains(program.get())) {
            String cannot = user().cannotRun(program.get());
            if (cannot != null) problems.add(cannot);
            else runnable.add(program.get());
        }
        if (commands.confines(spec)) {
            String unreachable = user().cannotReach(settings.jobsRoot());
            if (unreachable != null) problems.add(unreachable);
        }
        if (spec.resources().instanceCount() > 1) problems.addAll(severalHostsProblems(spec));
        problems.addAll(ChannelStaging.problems(spec, objectStore));
        if (spec.checkpoints() != null) CheckpointSync.problem(spec.checkpoints(), objectStore).ifPresent(problems::add);
        Artifacts.outputPathProblem(spec, objectStore).ifPresent(problems::add);
        if (!problems.isEmpty()) throw new UnsupportedTrainingFeatureException(String.join("; ", problems));
    }

    private List<String> severalHostsProblems(TrainingJobSpec spec) {
        int count = spec.resources().instanceCount();
        Optional<String> refused = commands.severalHostsProblem(spec);
        if (refused.isPresent()) return List.of(refused.get());
        List<String> problems = new ArrayList<>();
        if (HostNamespaces.detect().prefix == null) problems.add(HostNamespaces.detect().problem);
        if (count > HostNamespaces.MAX_HOSTS)
            problems.add("InstanceCount " + count + " is more hosts than this backend runs at once: at most "
                    + HostNamespaces.MAX_HOSTS);
        if (spec.enableNetworkIsolation())
            problems.add("EnableNetworkIsolation with InstanceCount > 1 is not supported by the local backend yet: "
                    + "its hosts would not reach each other");
        if (spec.checkpoints() != null)
            problems.add("CheckpointConfig with InstanceCount > 1 is not supported by the local backend yet");
        return problems;
    }

    @Override
    public LaunchedRun launch(TrainingJobSpec spec) {
        check(spec);
        JobDirectory dir = new JobDirectory(jobDirectory(spec.trainingJobName()));
        Path handleFile = dir.state(HANDLE_FILE);
        try {
            if (Files.exists(handleFile)) return launched(LocalRun.fromJson(Files.readString(handleFile)));
            if (LaunchRecord.exists(dir)) {
                LocalRun recovered = recoverUnrecordedLaunch(dir, spec);
                if (recovered != null) return launched(recovered);
            }
            deleteRecursively(dir.root());   // leftovers of a launch that crashed before starting a process
            int count = spec.resources().instanceCount();
            List<TrainingHost> hosts = count > 1 ? HostNamespaces.hosts(count) : List.of(commands.host(spec));
            List<JobDirectory> hostDirs;
            if (count > 1) {
                hostDirs = HostDirectories.create(dir, spec, hosts);
                HostNamespaces.prepare(dir, hosts);
            } else {
                dir.create(spec, hosts.getFirst());
                hostDirs = List.of(dir);
            }
            List<ChannelStaging.Feeds> feeds = new ArrayList<>();
            Runnable pipes = () -> feeds.forEach(ChannelStaging.Feeds::close);
            WrapperLauncher.Started started;
            LaunchRecord record;
            try {
                for (int i = 0; i < hosts.size(); i++) feeds.add(ChannelStaging.stage(spec, hostDirs.get(i), objectStore, hosts.get(i)));
                if (spec.checkpoints() != null) CheckpointSync.restore(objectStore, dir, spec.checkpoints());
                boolean confined = commands.confines(spec);
                if (confined) {
                    if (count > 1) user().handOver(dir.root(), List.of(), settings.jobsRoot());
                    for (JobDirectory h : hostDirs)
                        user().handOver(h.root(), List.of(h.input(), h.model(), h.output(), h.checkpoints()), settings.jobsRoot());
                }
                Path cgroup = confined ? JobCgroups.detect().create(dir, spec.trainingJobName()) : null;
                record = LaunchRecord.of(spec, settings.logCapBytes(), settings.clock().instant());
                launches.put(dir.root(), new Launched(record));
                record.write(dir);   // from here on a process may exist
                started = count > 1 ? startHosts(spec, dir, hosts, cgroup) : start(spec, dir, hosts.getFirst(), cgroup, confined);
            } catch (IOException | RuntimeException e) {
                pipes.run();   // no program will read: the feeding would wait for one forever
                throw e;
            }
            started.exited().thenRun(pipes);   // at once; the feeding would also end by itself
            CheckpointSync.of(objectStore, dir).ifPresent(sync -> started.exited().thenRun(sync.start(CHECKPOINT_PERIOD)::close));
            Runnable listener = onRunExit;
            started.exited().thenRun(listener);
            long pid = started.pid();
            long startTicks = LinuxProcesses.stat(pid).map(LinuxProcesses.Stat::startTicks).orElse(-1L);
            LocalRun run = new LocalRun(spec.trainingJobName(), dir.root().toString(), pid, startTicks,
                    0, false, record.launchTime(), null, null);
            StateFiles.write(handleFile, run.toJson());
            return launched(run);
        } catch (IOException e) {
            throw new UncheckedIOException("launching " + spec.trainingJobName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The job's command under the wrapper, in a new session. A training program itself ({@code confined}) runs
     * in the job's cgroup (when there is one), in its own network namespace (EnableNetworkIsolation), as the job
     * user with no capabilities (when the server is root); an engine that confines what it runs (a container)
     * runs as is. Either way the environment is {@link ProgramEnvironment}'s, never the server's own. Each step
     * execs the next, so no process stays between the wrapper and the program.
     */
    private WrapperLauncher.Started start(TrainingJobSpec spec, JobDirectory dir, TrainingHost host, Path cgroup,
                                          boolean confined) throws IOException {
        JobCommands.Command command = commands.command(spec, dir, host);
        List<String> program = new ArrayList<>();
        String home = System.getProperty("user.home");
        if (confined) {
            program.addAll(containment(cgroup));
            if (spec.enableNetworkIsolation()) program.addAll(NetworkIsolation.detect().prefix);
            program.addAll(user().prefix());
            if (user().home != null) home = user().home;
        }
        program.addAll(command.program());
        Map<String, String> environment = ProgramEnvironment.of(System.getenv(), settings.passEnvironment(), home,
                command.environment());
        return WrapperLauncher.forThisJvm().start(Wrapper.command(program, environment), dir.root(), dir.log(),
                environment);
    }

    /**
     * A job of several hosts: the supervisor of {@link HostNamespaces} under the job's wrapper, in the job's
     * cgroup (or a pid namespace of its own, as root without cgroups), each host dropping to the job user
     * like a job of one host; the environment is each host's, split as the supervisor hands it on.
     */
    private WrapperLauncher.Started startHosts(TrainingJobSpec spec, JobDirectory dir, List<TrainingHost> hosts,
                                               Path cgroup) throws IOException {
        JobDirectory seenByProgram = new JobDirectory(dir.root().resolve(HostNamespaces.VIEW));
        List<Map<String, String>> environments = new ArrayList<>();
        List<String> program = null;
        for (TrainingHost host : hosts) {
            JobCommands.Command command = commands.command(spec, HostDirectories.of(dir, host.name()), seenByProgram, host);
            if (program != null && !program.equals(command.program()))
                throw new IllegalStateException("the hosts of " + spec.trainingJobName() + " would run different commands");
            program = command.program();
            environments.add(command.environment());
        }
        List<String> cmd = new ArrayList<>(containment(cgroup));
        List<String> hostProgram = new ArrayList<>(user().prefix());
        hostProgram.addAll(program);
        cmd.addAll(HostNamespaces.detect().supervisor(dir, hosts.size(), settings.logCapBytes(), hostProgram));
        String home = user().home != null ? user().home : System.getProperty("user.home");
        Map<String, String> environment = ProgramEnvironment.of(System.getenv(), settings.passEnvironment(), home,
                HostNamespaces.environment(environments));
        return WrapperLauncher.forThisJvm().start(Wrapper.command(cmd, environment), dir.root(), dir.log(), environment);
    }

    /** What keeps everything a job starts together: its cgroup, else (root without cgroups) a pid namespace of its own. */
    private List<String> containment(Path cgroup) {
        if (cgroup != null) return JobCgroups.enter(cgroup);
        return user().name != null ? JobCgroups.ownPidNamespace() : List.of();
    }

    /** Whether the wrapper the directory recorded still runs there (a handle with a stale start time does not make it gone). */
    private static boolean wrapperRunsIn(JobDirectory dir) {
        try {
            Long pid = Wrapper.readPid(dir);
            // no pid file yet: a wrapper may be starting there, and killing its cgroup would kill a live run
            if (pid == null) return Files.exists(dir.root());
            return Files.readSymbolicLink(Path.of("/proc", pid.toString(), "cwd")).equals(dir.root());
        } catch (NumberFormatException e) {
            return true;   // the shell has created its pid file and not yet written to it: it is starting there
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static LaunchedRun launched(LocalRun run) {
        return new LaunchedRun(run.toHandle(), run.launchTime());
    }

    /** Whether MaxRuntimeInSeconds, counted from when the program started rather than from the launch, has not run out. */
    private boolean trainingStartedLater(LaunchRecord launch, String jobName, JobDirectory dir, Instant now) {
        return commands.programStarted(jobName, dir)
                .filter(started -> now.isBefore(started.plusSeconds(launch.maxRuntimeSeconds()))).isPresent();
    }

    /** The server died between starting a wrapper and recording its handle: find the wrapper by its pid file. */
    private LocalRun recoverUnrecordedLaunch(JobDirectory dir, TrainingJobSpec spec) throws IOException {
        Long pid = Wrapper.readPid(dir);
        if (pid == null) return null;
        long startTicks = -1;
        try {
            if (Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).equals(dir.root()))
                startTicks = LinuxProcesses.stat(pid).map(LinuxProcesses.Stat::startTicks).orElse(-1L);
        } catch (IOException e) {
            // gone: the exit_code file (or its absence) tells the rest
        }
        LaunchRecord record = LaunchRecord.read(dir);
        LocalRun handle = new LocalRun(spec.trainingJobName(), dir.root().toString(), pid, startTicks, 0, false,
                record.launchTime(), null, null);
        StateFiles.write(dir.state(HANDLE_FILE), handle.toJson());
        return handle;
    }

    @Override
    public RunObservation poll(RunHandle stored) {
        LocalRun handle = LocalRun.from(stored);
        try {
            JobDirectory dir = new JobDirectory(Path.of(handle.jobDir()));
            Launched launched = launched(dir);
            LaunchRecord launch = launched.record();
            Instant now = settings.clock().instant();
            StopRequest stop = StopRequest.read(dir);
            LocalRun h = stop != null ? handle.withStop(stop.at(), stop.cause()) : handle;
            RunLog log = new RunLog(dir, new LogCap(launch.logCapBytes(), settings.logTailBytes()),
                    new LogTailer(launched.parser()), settings.pollBudgetBytes());

            if (LinuxProcesses.isAlive(h.pid(), h.processStartTicks())) {
                StopDeadlines.Due due = StopDeadlines.due(launch, stop, settings.stopGracePeriod(), now);
                if (due == StopDeadlines.Due.NOTHING && HostDirectories.outlivedFailure(dir, settings.stopGracePeriod(), now))
                    due = StopDeadlines.Due.KILL;
                switch (due) {
                    case STOP_FOR_MAX_RUNTIME -> {
                        if (!trainingStartedLater(launch, h.jobName(), dir, now)) h = stop(h, StopCause.MAX_RUNTIME_EXCEEDED);
                    }
                    case KILL -> {
                        LinuxProcesses.signalGroup(h.pid(), h.processStartTicks(), "KILL");
                        commands.cleanUp(h.jobName());
                        JobCgroups.killAndRemove(dir);
                    }
                    case NOTHING -> { }
                }
                if (ChannelStaging.pipeFeedingEndedBeforeTheJob(dir)) {
                    // it outlives server restarts and ends with the job: killed, so the program would wait forever
                    LinuxProcesses.signalGroup(h.pid(), h.processStartTicks(), "KILL");
                    commands.cleanUp(h.jobName());
                    JobCgroups.killAndRemove(dir);
                    launches.remove(dir.root());
                    return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, "the process feeding its "
                            + "Pipe-mode channels ended while the program ran (killed?); the program was stopped");
                }
                var read = log.read(h.logOffset(), h.inLongLine(), false, now);
                h = h.withLog(read.offset(), read.inLongLine());
                return new RunObservation(h.toHandle(), h.stopRequestedAt() != null ? Phase.STOPPING : Phase.RUNNING,
                        read.points(), null, null);
            }

            RunResult result = ResultFile.read(dir);
            if (result == null && !Wrapper.exitRecorded(dir) && stop == null && HostDirectories.failedHost(dir).isEmpty()) {
                LinuxProcesses.signalGroup(h.pid(), h.processStartTicks(), "KILL");   // leftovers, if any
                commands.cleanUp(h.jobName());
                if (!wrapperRunsIn(dir)) JobCgroups.killAndRemove(dir);   // not when the handle was wrong about the pid
                launches.remove(dir.root());
                return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, "the training process "
                        + h.pid() + " is gone without recording an exit code");
            }
            // A job ends when its program does, as a container does: whatever it left running is killed
            // before the rest of the log is read, so nothing writes after the end has been seen.
            // Its cgroup holds also what left the process group (setsid, double forks).
            if (result == null) {
                LinuxProcesses.signalGroup(h.pid(), h.processStartTicks(), "KILL");
                JobCgroups.killAndRemove(dir);
            }
            RunLog.Ending end = log.readEnd(h.logOffset(), h.inLongLine(), result != null, now);
            var read = end.read();
            h = h.withLog(read.offset(), read.inLongLine());
            if (!end.complete())
                return new RunObservation(h.toHandle(), stop != null ? Phase.STOPPING : Phase.RUNNING, read.points(), null, null);
            if (result == null) {
                if (stop != null || !Wrapper.exitRecorded(dir)) commands.cleanUp(h.jobName());
                h = h.withLog(log.compact(), false);
                result = finisher.finish(dir, launch, stop, Wrapper.readExit(dir), now);
            }
            launches.remove(dir.root());
            return new RunObservation(h.toHandle(), Phase.FINISHED, read.points(), result, null);
        } catch (IOException e) {
            throw new UncheckedIOException("polling " + handle.jobName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RunHandle stop(RunHandle handle, StopCause cause) {
        return stop(LocalRun.from(handle), cause).toHandle();
    }

    private LocalRun stop(LocalRun handle, StopCause cause) {
        try {
            JobDirectory dir = new JobDirectory(Path.of(handle.jobDir()));
            StopRequest earlier = StopRequest.read(dir);
            if (earlier != null) return handle.withStop(earlier.at(), earlier.cause());
            if (!LinuxProcesses.isAlive(handle.pid(), handle.processStartTicks())) return handle;
            var request = new StopRequest(settings.clock().instant(), cause);
            request.write(dir);   // recorded first: the next poll must know why the program ended
            LinuxProcesses.signalGroup(handle.pid(), handle.processStartTicks(), "TERM");
            return handle.withStop(request.at(), request.cause());
        } catch (IOException e) {
            throw new UncheckedIOException("stopping " + handle.jobName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public LogChunk readLog(RunHandle stored, long offset, int maxBytes) {
        LocalRun handle = LocalRun.from(stored);
        try {
            return LogCap.read(new JobDirectory(Path.of(handle.jobDir())), offset, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the log of " + handle.jobName(), e);
        }
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
