package dev.vernier.backend.local;

import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.InputChannel;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs training jobs as local processes under SageMaker's training-job contract.
 *
 * <p>ResourceConfig: the program runs once, as host {@code algo-1}; InstanceType is only reported
 * to it (resourceconfig.json), VolumeSizeInGB is not enforced, InstanceCount &gt; 1 is refused.
 * FastFile input mode is staged like File mode (the program sees the same files).
 */
public final class LocalTrainingBackend implements TrainingBackend {
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private final LocalBackendSettings settings;
    private final ObjectStore objectStore;
    private final ImagePrograms images;
    private final RunFinisher finisher;
    /** Per running job, read once from its directory; dropped when the job ends. */
    private final Map<String, Launched> launches = new ConcurrentHashMap<>();
    /** Told when a wrapper this process started has exited, so that the job is observed at once. */
    private volatile Runnable onRunExit = () -> { };

    private record Launched(LaunchRecord record, MetricParser parser) {
        Launched(LaunchRecord record) {
            this(record, new MetricParser(record.metricDefinitions()));
        }
    }

    public LocalTrainingBackend(LocalBackendSettings settings, ObjectStore objectStore) {
        this.settings = settings;
        this.objectStore = objectStore;
        this.images = new ImagePrograms(settings.imagePrograms());
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
        images.resolve(trainingImage);
    }

    /** The directory a job runs in. */
    public Path jobDirectory(String trainingJobName) {
        if (!JOB_NAME.matcher(trainingJobName).matches())
            throw new IllegalArgumentException("not a training job name: " + trainingJobName);
        return settings.jobsRoot().resolve(trainingJobName);
    }

    @Override
    public void check(TrainingJobSpec spec) {
        images.resolve(spec.trainingImage());
        List<String> problems = new ArrayList<>();
        if (spec.resources().instanceCount() > 1)
            problems.add("InstanceCount " + spec.resources().instanceCount() + " (distributed training) is not supported "
                    + "by the local backend yet: use InstanceCount 1");
        if (spec.trainingInputMode().equals("Pipe"))
            problems.add("TrainingInputMode Pipe is not supported yet: use File");
        for (InputChannel c : spec.inputChannels()) {
            String at = "channel '" + c.name() + "': ";
            if ("Pipe".equals(c.inputMode())) problems.add(at + "InputMode Pipe is not supported yet: use File");
            if (!c.s3DataType().equals("S3Prefix"))
                problems.add(at + "S3DataType " + c.s3DataType() + " is not supported yet: use S3Prefix");
            if (!c.compressionType().equals("None"))
                problems.add(at + "CompressionType " + c.compressionType() + " is not supported yet: use None");
            if (!c.recordWrapperType().equals("None"))
                problems.add(at + "RecordWrapperType " + c.recordWrapperType() + " is not supported yet: use None");
            if (!readable(c.s3Uri()))
                problems.add(at + "S3Uri '" + c.s3Uri() + "' is not a location this server can read "
                        + "(s3://bucket/prefix in its object store, or file:///absolute/path)");
            if (!c.name().matches("[A-Za-z0-9._-]+") || c.name().startsWith("."))
                problems.add(at + "ChannelName must be letters, digits, '.', '_' and '-'");
        }
        if (!readable(spec.s3OutputPath()))
            problems.add("S3OutputPath '" + spec.s3OutputPath() + "' is not a location this server can write "
                    + "(s3://bucket/prefix in its object store, or file:///absolute/path)");
        if (spec.enableNetworkIsolation() && NetworkIsolation.detect().prefix == null)
            problems.add(NetworkIsolation.detect().problem);
        if (!problems.isEmpty()) throw new UnsupportedTrainingFeatureException(String.join("; ", problems));
    }

    private boolean readable(String uri) {
        try {
            return objectStore.handles(URI.create(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public LaunchedRun launch(TrainingJobSpec spec) {
        check(spec);
        JobDirectory dir = new JobDirectory(jobDirectory(spec.trainingJobName()));
        Path handleFile = dir.internal(Wrapper.DIR + "/handle.json");
        // Written just before the wrapper starts (atomically): from then on a process may exist.
        Path launchRecord = dir.root.resolve(LaunchRecord.FILE);
        try {
            if (Files.exists(handleFile)) return launched(LocalRun.fromJson(Files.readString(handleFile)));
            if (Files.exists(launchRecord)) {
                LocalRun recovered = recoverUnrecordedLaunch(dir, spec);
                if (recovered != null) return launched(recovered);
            }
            deleteRecursively(dir.root);   // leftovers of a launch that crashed before starting a process
            dir.create(spec);
            for (InputChannel c : spec.inputChannels())
                objectStore.copyPrefixTo(URI.create(c.s3Uri()), dir.channel(c.name()));
            Instant launchTime = settings.clock().instant();
            LaunchRecord record = new LaunchRecord(spec.trainingJobName(), spec.metricDefinitions(),
                    spec.maxRuntimeInSeconds(), spec.outputPrefix(), settings.logCapBytes(), launchTime);
            launches.put(dir.root.toString(), new Launched(record));
            record.write(dir.root);   // from here on a process may exist
            WrapperLauncher.Started started = start(spec, dir);
            Runnable listener = onRunExit;
            started.exited().thenRun(listener);
            long pid = started.pid();
            long startTicks = LinuxProcesses.stat(pid).map(LinuxProcesses.Stat::startTicks).orElse(-1L);
            LocalRun run = new LocalRun(spec.trainingJobName(), dir.root.toString(), pid, startTicks,
                    0, false, launchTime, null, null);
            JobDirectory.writeAtomically(handleFile, run.toJson());
            return launched(run);
        } catch (IOException e) {
            throw new UncheckedIOException("launching " + spec.trainingJobName() + ": " + e.getMessage(), e);
        }
    }

    private WrapperLauncher.Started start(TrainingJobSpec spec, JobDirectory dir) throws IOException {
        List<String> program = new ArrayList<>();
        if (spec.enableNetworkIsolation()) program.addAll(NetworkIsolation.detect().prefix);
        program.add(images.resolve(spec.trainingImage()).toString());
        program.add("train");
        Map<String, String> environment = dir.environment(spec);
        return WrapperLauncher.forThisJvm().start(Wrapper.command(program, environment), dir.root,
                dir.internal(Wrapper.LOG), environment);
    }

    /** The server died between starting a wrapper and recording its handle: find the wrapper by its pid file. */
    private static LaunchedRun launched(LocalRun run) {
        return new LaunchedRun(run.toHandle(), run.launchTime());
    }

    private LocalRun recoverUnrecordedLaunch(JobDirectory dir, TrainingJobSpec spec) throws IOException {
        Path pidFile = dir.internal(Wrapper.PID);
        if (!Files.exists(pidFile)) return null;
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        long startTicks = -1;
        try {
            if (Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).equals(dir.root))
                startTicks = LinuxProcesses.stat(pid).map(LinuxProcesses.Stat::startTicks).orElse(-1L);
        } catch (IOException e) {
            // gone: the exit_code file (or its absence) tells the rest
        }
        LaunchRecord record = LaunchRecord.read(dir.root);
        LocalRun handle = new LocalRun(spec.trainingJobName(), dir.root.toString(), pid, startTicks, 0, false,
                record.launchTime(), null, null);
        JobDirectory.writeAtomically(dir.internal(Wrapper.DIR + "/handle.json"), handle.toJson());
        return handle;
    }

    @Override
    public RunObservation poll(RunHandle stored) {
        LocalRun handle = LocalRun.from(stored);
        try {
            JobDirectory dir = new JobDirectory(Path.of(handle.jobDir()));
            Launched launched = launched(dir.root);
            LaunchRecord launch = launched.record();
            Instant now = settings.clock().instant();
            LaunchRecord.StopRequest stop = LaunchRecord.StopRequest.read(dir.root);
            LocalRun h = stop != null ? handle.withStop(stop.at(), stop.cause()) : handle;
            LogTailer tailer = new LogTailer(launched.parser());
            LogCap cap = new LogCap(launch.logCapBytes(), settings.logTailBytes());

            if (LinuxProcesses.isAlive(h.pid(), h.processStartTicks())) {
                if (stop == null && !now.isBefore(launch.launchTime().plusSeconds(launch.maxRuntimeSeconds()))) {
                    h = stop(h, StopCause.MAX_RUNTIME_EXCEEDED);
                } else if (stop != null && !now.isBefore(stop.at().plus(settings.stopGracePeriod()))) {
                    LinuxProcesses.signalGroup(h.pid(), h.processStartTicks(), "KILL");
                }
                var read = readLog(dir, cap, tailer, h, false, now);
                h = h.withLog(read.offset(), read.inLongLine());
                return new RunObservation(h.toHandle(), h.stopRequestedAt() != null ? Phase.STOPPING : Phase.RUNNING,
                        read.points(), null, null);
            }

            RunResult result = RunFinisher.readResult(dir.root);
            boolean exitRecorded = Files.exists(dir.internal(Wrapper.EXIT_CODE));
            if (result == null && !exitRecorded && stop == null) {
                LinuxProcesses.signalGroup(h.pid(), h.processStartTicks(), "KILL");   // leftovers, if any
                launches.remove(dir.root.toString());
                return new RunObservation(h.toHandle(), Phase.VANISHED, List.of(), null, "InternalServerError: the training "
                        + "process " + h.pid() + " is gone without recording an exit code");
            }
            // A job ends when its program does, as a container does: whatever it left running is killed
            // before the rest of the log is read, so nothing writes after the end has been seen.
            if (result == null) LinuxProcesses.signalGroup(h.pid(), h.processStartTicks(), "KILL");
            // A compacted log was compacted after its last points were stored (see below): offsets into it
            // no longer mean what they did, and there is nothing left to read.
            var read = cap.isCompacted(dir.root)
                    ? new LogTailer.Progress(List.of(), Files.size(dir.internal(Wrapper.LOG)), false, true)
                    : readLog(dir, cap, tailer, h, true, now);
            h = h.withLog(read.offset(), read.inLongLine());
            // Points read here reach the store only with this observation: a log about to be compacted
            // (which moves its tail) is compacted by the next poll, once they are stored, so that a server
            // that dies in between reads on from a stored offset that still means the same bytes.
            boolean compactsNext = result == null && !read.points().isEmpty() && cap.compacts(dir.root);
            if (!read.reachedEnd() || compactsNext)
                return new RunObservation(h.toHandle(), stop != null ? Phase.STOPPING : Phase.RUNNING, read.points(), null, null);
            if (result == null) {
                h = h.withLog(cap.compact(dir.root), false);
                result = finisher.finish(dir, launch, stop, now);
            }
            launches.remove(dir.root.toString());
            return new RunObservation(h.toHandle(), Phase.FINISHED, read.points(), result, null);
        } catch (IOException e) {
            throw new UncheckedIOException("polling " + handle.jobName() + ": " + e.getMessage(), e);
        }
    }

    /** Parses the log from where the last poll stopped (or the kept tail, if far behind), then drops what the cap allows. */
    private LogTailer.Progress readLog(JobDirectory dir, LogCap cap, LogTailer tailer, LocalRun h, boolean ended,
                                       Instant now) throws IOException {
        Path log = dir.internal(Wrapper.LOG);
        LogCap.Position from = cap.skipBacklog(log, h.logOffset(), h.inLongLine(), settings.pollBudgetBytes());
        var read = tailer.read(log, from.offset(), from.inLongLine(), ended, settings.pollBudgetBytes(), now);
        cap.dropParsed(dir.root, read.offset());
        return read;
    }

    @Override
    public RunHandle stop(RunHandle handle, StopCause cause) {
        return stop(LocalRun.from(handle), cause).toHandle();
    }

    private LocalRun stop(LocalRun handle, StopCause cause) {
        try {
            Path jobDir = Path.of(handle.jobDir());
            LaunchRecord.StopRequest earlier = LaunchRecord.StopRequest.read(jobDir);
            if (earlier != null) return handle.withStop(earlier.at(), earlier.cause());
            if (!LinuxProcesses.isAlive(handle.pid(), handle.processStartTicks())) return handle;
            var request = new LaunchRecord.StopRequest(settings.clock().instant(), cause);
            request.write(jobDir);   // recorded first: the next poll must know why the program ended
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
            LogCap.Chunk chunk = LogCap.read(Path.of(handle.jobDir()), offset, maxBytes);
            return new LogChunk(chunk.bytes(), chunk.nextOffset());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the log of " + handle.jobName(), e);
        }
    }

    private Launched launched(Path jobDir) throws IOException {
        Launched cached = launches.get(jobDir.toString());
        if (cached != null) return cached;
        Launched read = new Launched(LaunchRecord.read(jobDir));
        launches.put(jobDir.toString(), read);
        return read;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }
}
