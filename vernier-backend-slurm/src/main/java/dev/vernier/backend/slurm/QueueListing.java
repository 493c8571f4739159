package dev.vernier.backend.slurm;

import dev.vernier.backend.slurm.SlurmCli.QueuedJob;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * This user's jobs as squeue lists them, read by one background thread when a poll asks for a newer
 * listing, at most every half second: squeue takes 0.6 s with a few hundred jobs on a loaded machine,
 * and a poll that waited for it held one of the controller's few workers. Polls answer from the
 * latest listing and come back for the answer at a later pass.
 */
final class QueueListing implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(QueueListing.class.getName());
    private static final long MIN_INTERVAL_MILLIS = 500;
    private static final long AFTER_FAILURE_MILLIS = 2_000;

    private record Listing(Instant readAt, Map<Long, QueuedJob> jobs) {}

    private final Supplier<Map<Long, QueuedJob>> squeue;
    private final Clock clock;
    private final Semaphore wanted = new Semaphore(0);
    private volatile Listing latest = new Listing(Instant.MIN, Map.of());
    private Thread thread;

    QueueListing(Supplier<Map<Long, QueuedJob>> squeue, Clock clock) {
        this.squeue = squeue;
        this.clock = clock;
    }

    /**
     * The job as a listing read at or after {@code since} shows it ({@link QueuedJob#gone} when that
     * listing lacks it); empty, and a newer listing asked for, while there is no such listing yet.
     */
    Optional<QueuedJob> job(long id, Instant since) {
        Listing l = latest;
        if (l.readAt().isBefore(since)) {
            ask();
            return Optional.empty();
        }
        return Optional.of(l.jobs().getOrDefault(id, QueuedJob.gone(id)));
    }

    /** The job as the latest listing shows it, however old; empty when that listing lacks it. */
    Optional<QueuedJob> latest(long id) {
        return Optional.ofNullable(latest.jobs().get(id));
    }

    private synchronized void ask() {
        if (thread == null) thread = Thread.ofPlatform().daemon().name("vernier-slurm-queue").start(this::loop);
        wanted.release();
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                wanted.acquire();
                wanted.drainPermits();
                Instant at = clock.instant();
                long pause = MIN_INTERVAL_MILLIS;
                try {
                    latest = new Listing(at, Map.copyOf(squeue.get()));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "reading Slurm's queue failed; trying again: {0}", e.getMessage());
                    wanted.release();
                    pause = AFTER_FAILURE_MILLIS;
                }
                Thread.sleep(Math.max(0, pause - java.time.Duration.between(at, clock.instant()).toMillis()));
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) thread.interrupt();
    }
}
