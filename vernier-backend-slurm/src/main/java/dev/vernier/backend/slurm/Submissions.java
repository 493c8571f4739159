package dev.vernier.backend.slurm;

import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import dev.vernier.training.run.ResultFile;
import dev.vernier.training.run.StopRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Submits prepared job directories with sbatch on threads of its own: one sbatch takes 0.5–1 s on a
 * busy cluster, and a launch that waited for it held one of the controller's few workers, so that
 * a wave of submissions and the polls behind it queued up. The job directory records each step
 * (the options, sbatch's pid before it runs, its answer), so that a server killed at any moment
 * neither loses a submission nor sends one twice.
 */
final class Submissions implements AutoCloseable {
    /** sbatch's options, one a line, written before the launch record. */
    static final String OPTIONS = "sbatch_options";
    /** The pid of the sbatch under way (written by its shell before sbatch runs). */
    static final String SBATCH_PID = "sbatch_pid";
    /** Locked while a submission is under way. */
    static final String LOCK = "sbatch.lock";
    /** sbatch's answer: the run with its Slurm job id. */
    static final String SUBMITTED = "handle.json";
    private static final int THREADS = 4;

    private final SlurmCli slurm;
    private final Clock clock;
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS,
            Thread.ofPlatform().daemon().name("vernier-slurm-submit-", 0).factory());
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<Path, RuntimeException> failures = new ConcurrentHashMap<>();

    Submissions(SlurmCli slurm, Clock clock) {
        this.slurm = slurm;
        this.clock = clock;
    }

    static void writeOptions(JobDirectory dir, List<String> options) throws IOException {
        StateFiles.write(dir.state(OPTIONS), String.join("\n", options) + "\n");
    }

    /**
     * Submits the job of {@code dir} ({@code run} without an id) unless it is being submitted already.
     * The submission holds a lock on the job directory from now until sbatch's answer is recorded, so
     * that another server (or another instance in this process) sees it under way at once.
     */
    void start(JobDirectory dir, SlurmRun run) throws IOException {
        if (!inFlight.add(dir.root())) return;
        FileChannel lockFile = FileChannel.open(dir.state(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (lockFile.tryLock() == null) throw new OverlappingFileLockException();   // another process has it
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            inFlight.remove(dir.root());
            if (e instanceof OverlappingFileLockException) return;
            throw e;
        }
        threads.execute(() -> {
            try (lockFile) {
                if (submittedId(dir) != 0) return;   // submitted by whoever held the lock before
                List<String> options = Files.readAllLines(dir.state(OPTIONS)).stream().filter(o -> !o.isBlank()).toList();
                long id = slurm.submit(options, dir.state(BatchScript.FILE), dir.state(SBATCH_PID));
                StateFiles.write(dir.state(SUBMITTED), run.withJobId(id).toJson());
                if (StopRequest.read(dir) != null) slurm.cancel(id);   // stopped while sbatch ran: stop reads SUBMITTED after
            } catch (UnsupportedTrainingFeatureException e) {
                refused(dir, run, e);
            } catch (IOException e) {
                failures.put(dir.root(), new UncheckedIOException(e.getMessage(), e));
            } catch (RuntimeException e) {
                failures.put(dir.root(), e);
            } finally {
                inFlight.remove(dir.root());
            }
        });
    }

    /** Slurm refuses the job as it is: the run's end, non-retryable, recorded where every later poll finds it. */
    private void refused(JobDirectory dir, SlurmRun run, UnsupportedTrainingFeatureException e) {
        try {
            ResultFile.write(dir, new RunResult(RunResult.Status.FAILED, RunResult.SecondaryStatus.FAILED,
                    "ClientError: " + e.getMessage(), null, null, run.launchTime(), clock.instant()));
        } catch (IOException io) {
            failures.put(dir.root(), new UncheckedIOException(io.getMessage(), io));
        }
    }

    /** The Slurm job id sbatch answered for {@code dir}, or 0 when it has not (yet). */
    static long submittedId(JobDirectory dir) throws IOException {
        Path answer = dir.state(SUBMITTED);
        return Files.exists(answer) ? SlurmRun.fromJson(Files.readString(answer)).slurmJobId() : 0;
    }

    static void recordSubmitted(JobDirectory dir, SlurmRun run) throws IOException {
        StateFiles.write(dir.state(SUBMITTED), run.toJson());
    }

    /**
     * Whether a submission of {@code dir} is under way: in this process, or by an sbatch that a server
     * killed meanwhile left running (its answer is then lost, but squeue will know the job).
     */
    boolean underWay(JobDirectory dir) {
        if (inFlight.contains(dir.root())) return true;
        try (FileChannel lockFile = FileChannel.open(dir.state(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lockFile.tryLock();
            if (lock == null) return true;
            lock.release();
        } catch (OverlappingFileLockException e) {
            return true;   // another instance in this process holds it
        } catch (IOException e) {
            throw new UncheckedIOException("looking for a submission under way in " + dir.root(), e);
        }
        try {
            Path pid = dir.state(SBATCH_PID);
            if (!Files.exists(pid)) return false;
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().command()).filter(c -> c.equals("sbatch") || c.endsWith("/sbatch")).isPresent();
        } catch (IOException | NumberFormatException e) {
            return false;   // not written yet by a shell that was killed: it never ran sbatch
        }
    }

    /** Why this process's last submission of {@code dir} failed (a retry may succeed), once; empty if it did not. */
    Optional<RuntimeException> failure(JobDirectory dir) {
        return Optional.ofNullable(failures.remove(dir.root()));
    }

    /** Waits a little for the sbatch runs under way, so that their answers are recorded (else the next server adopts their jobs). */
    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
