package dev.vernier.server.tuning;

import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.server.store.Store;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop: on every pass it reads the stored state of each active tuning job, decides,
 * writes the decision, then acts. Every action is idempotent, so a crash at any point is recovered
 * by running the loop again. (Training jobs join this loop with the issue "Run tuning jobs"; until
 * then a stopping job has nothing to wait for.)
 */
public final class TuningController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TuningController.class);

    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tuning-controller");
        t.setDaemon(true);
        return t;
    });

    public TuningController(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void start(long periodMillis) {
        loop.scheduleWithFixedDelay(this::reconcileSafely, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void reconcileSafely() {
        try {
            reconcileOnce();
        } catch (RuntimeException e) {
            LOG.error("reconcile pass failed; the next pass retries", e);
        }
    }

    /** One pass over every active tuning job. */
    public void reconcileOnce() {
        for (TuningJobRecord job : store.tuningJobsIn(EnumSet.of(TuningJobStatus.STOPPING))) {
            store.transitionTuningJob(job.name(), EnumSet.of(TuningJobStatus.STOPPING), TuningJobStatus.STOPPED,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), null);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
