package dev.vernier.training.channels;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * exit code recorded, its wrapper gone without one, or its plans removed. What it says goes to the
 * job's log. Started by {@link #start}; {@code main} is the process.
 */
public final class PipeFeeding implements AutoCloseable {
    private static final String PID = "pid";
    private static final long WATCH_MILLIS = 250;

    /**
     * The files of the job that the feeding reads and writes (the job directory's, named by its owner).
     *
     * @param state       the feeding's own directory: the plans ({@code <channel>.json}) and its pid
     * @param wrapperPid  where the job's wrapper writes its pid
     * @param exitCode    where it records the program's exit status
     */
    public record Job(Path root, Path dataDir, Path state, Path log, Path wrapperPid, Path exitCode) {
        List<String> arguments() {
            return List.of(root, dataDir, state, log, wrapperPid, exitCode).stream().map(Path::toString).toList();
        }

        static Job of(String[] arguments) {
            Path[] p = Arrays.stream(arguments).map(Path::of).toArray(Path[]::new);
            return new Job(p[0], p[1], p[2], p[3], p[4], p[5]);
        }
    }

    private final Process process;

    private PipeFeeding(Process process) {
        this.process = process;
    }

    /**
     * Writes the plans, makes each channel's FIFO {@code <channel>_0} (so that it exists when the
     * program starts) and starts the feeding process.
     */
    public static PipeFeeding start(Job job, List<PipeFeeder.Plan> plans) throws IOException {
        Files.createDirectories(job.state());
        for (PipeFeeder.Plan plan : plans) {
            writeAtomically(job.state().resolve(plan.channel() + ".json"), plan.toJson());
            PipeFeeder.mkfifo(PipeFeeder.fifo(job.dataDir(), plan.channel(), 0));
        }
        List<String> command = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-cp", classPath(),
                PipeFeeding.class.getName()));
        command.addAll(job.arguments());
        ProcessBuilder builder = new ProcessBuilder(command).directory(job.root().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(job.log().toFile())).redirectErrorStream(true);
        builder.environment().keySet().retainAll(List.of("PATH"));   // nothing of the server's own (its secrets)
        Process process = builder.start();   // setsid execs java in the same process: its pid is the feeder's
        try {
            // with its start time: a pid alone may be another process's by the time it is read again
            writeAtomically(job.state().resolve(PID), process.pid() + " " + startOf(process.toHandle()));
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return new PipeFeeding(process);
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** This JVM's class path with absolute entries (the feeding process runs in the job directory). */
    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

    /** Whether the job has Pipe channels whose feeding process has ended while the job has not. */
    public static boolean endedBeforeTheJob(Job job) throws IOException {
        Path pidFile = job.state().resolve(PID);
        if (!Files.exists(pidFile) || Files.exists(job.exitCode())) return false;
        String[] recorded = Files.readString(pidFile).strip().split(" ");
        boolean alive = ProcessHandle.of(Long.parseLong(recorded[0])).filter(ProcessHandle::isAlive)
                .filter(p -> startOf(p).equals(recorded[1])).isPresent();
        return !alive && !Files.exists(job.exitCode());   // asked again: the job may have ended meanwhile
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString).orElse("unknown");
    }

    /** Ends the feeding process (the job has ended, or never started). */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The feeding process: {@code PipeFeeding} and the paths of {@link Job}. */
    public static void main(String[] args) throws Exception {
        Job job = Job.of(args);
        List<Path> planFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(job.state(), "*.json")) {
            files.forEach(planFiles::add);
        }
        for (Path file : planFiles) {
            PipeFeeder.Plan plan = PipeFeeder.Plan.fromJson(Files.readString(file));
            Thread.ofPlatform().daemon().name("pipe-" + plan.channel()).start(new PipeFeeder(job.dataDir(), plan)::feed);
        }
        while (!jobEnded(job, planFiles)) Thread.sleep(WATCH_MILLIS);
        System.exit(0);   // also ends the feeders still waiting for the program to open their next FIFO
    }

    /** Its exit code recorded, its plans removed (the directory made anew), or its wrapper gone without recording one. */
    private static boolean jobEnded(Job job, List<Path> planFiles) {
        if (Files.exists(job.exitCode()) || !planFiles.stream().allMatch(Files::exists)) return true;
        try {
            long wrapper = Long.parseLong(Files.readString(job.wrapperPid()).strip());
            return !runsIn(wrapper, job.root()) && !Files.exists(job.exitCode());
        } catch (IOException | NumberFormatException e) {
            return false;   // no pid yet, or one being written: ask again at the next look
        }
    }

    /** Whether process {@code pid} works in {@code dir}, as the job's wrapper does (a reused pid does not). */
    private static boolean runsIn(long pid, Path dir) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).equals(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
