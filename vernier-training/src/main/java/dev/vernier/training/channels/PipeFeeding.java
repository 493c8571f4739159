package dev.vernier.training.channels;

import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import dev.vernier.training.wrapper.Wrapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The process that feeds a job's Pipe-mode channels, one {@link PipeFeeder} thread per channel. It
 * is a process of its own, in its own session, for the reason the wrapper is (DESIGN.md, "Surviving
 * the server's death"): a feeder inside the server would end the program's epoch early when the
 * server stops (the FIFO's only writer gone: EOF in the middle of the data) and feed no further
 * epoch. This one goes on through a server restart and ends itself when the job has ended: its
 * exit code recorded, its wrapper gone without one, or its directory removed. What it says goes
 * to the job's log. Started by {@link #start}; {@code main} is the process.
 */
public final class PipeFeeding implements AutoCloseable {
    static final String DIR = "pipe-feeder";
    private static final String PID = "pid";
    private static final long WATCH_MILLIS = 250;

    private final Process process;

    private PipeFeeding(Process process) {
        this.process = process;
    }

    /**
     * Writes the plans, makes each channel's FIFO {@code <channel>_0} (so that it exists when the
     * program starts) and starts the feeding process.
     */
    public static PipeFeeding start(JobDirectory dir, List<PipeFeeder.Plan> plans) throws IOException {
        Path state = Files.createDirectories(dir.state(DIR));
        for (PipeFeeder.Plan plan : plans) {
            StateFiles.write(state.resolve(plan.channel() + ".json"), plan.toJson());
            PipeFeeder.mkfifo(PipeFeeder.fifo(dir.inputData(), plan.channel(), 0));
        }
        List<String> command = List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-cp", classPath(),
                PipeFeeding.class.getName(), dir.root().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.root().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.log().toFile())).redirectErrorStream(true);
        builder.environment().keySet().retainAll(List.of("PATH"));   // nothing of the server's own (its secrets)
        Process process = builder.start();   // setsid execs java in the same process: its pid is the feeder's
        try {
            // with its start time: a pid alone may be another process's by the time it is read again
            StateFiles.write(state.resolve(PID), process.pid() + " " + startOf(process.toHandle()));
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return new PipeFeeding(process);
    }

    /** This JVM's class path with absolute entries (the feeding process runs in the job directory). */
    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

    /** Whether the job has Pipe channels whose feeding process has ended while the job has not. */
    public static boolean endedBeforeTheJob(JobDirectory dir) throws IOException {
        Path pidFile = dir.state(DIR).resolve(PID);
        if (!Files.exists(pidFile) || Wrapper.exitRecorded(dir)) return false;
        String[] recorded = Files.readString(pidFile).strip().split(" ");
        boolean alive = ProcessHandle.of(Long.parseLong(recorded[0])).filter(ProcessHandle::isAlive)
                .filter(p -> startOf(p).equals(recorded[1])).isPresent();
        return !alive && !Wrapper.exitRecorded(dir);   // asked again: the job may have ended meanwhile
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString).orElse("unknown");
    }

    /** Ends the feeding process (the job has ended, or never started). */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The feeding process: {@code PipeFeeding JOB_DIRECTORY}. */
    public static void main(String[] args) throws Exception {
        JobDirectory dir = new JobDirectory(Path.of(args[0]));
        Path state = dir.state(DIR);
        List<Path> planFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(state, "*.json")) {
            files.forEach(planFiles::add);
        }
        for (Path file : planFiles) {
            PipeFeeder.Plan plan = PipeFeeder.Plan.fromJson(Files.readString(file));
            Thread.ofPlatform().daemon().name("pipe-" + plan.channel()).start(new PipeFeeder(dir.inputData(), plan)::feed);
        }
        while (!jobEnded(dir, planFiles)) Thread.sleep(WATCH_MILLIS);
        System.exit(0);   // also ends the feeders still waiting for the program to open their next FIFO
    }

    /** Its exit code recorded, its directory removed, or its wrapper gone without recording one (killed). */
    private static boolean jobEnded(JobDirectory dir, List<Path> planFiles) {
        if (Wrapper.exitRecorded(dir) || !planFiles.stream().allMatch(Files::exists)) return true;
        try {
            Long wrapper = Wrapper.readPid(dir);
            return wrapper != null && !runsIn(wrapper, dir) && !Wrapper.exitRecorded(dir);
        } catch (IOException | NumberFormatException e) {
            return false;   // a pid file being written: ask again at the next look
        }
    }

    /** Whether process {@code pid} works in the job directory, as its wrapper does (a reused pid does not). */
    private static boolean runsIn(long pid, JobDirectory dir) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).equals(dir.root().toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
