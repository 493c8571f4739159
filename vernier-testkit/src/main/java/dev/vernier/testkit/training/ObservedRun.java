package dev.vernier.testkit.training;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One run as the controller sees it: the last handle a backend returned, and every metric point
 * its observations have brought, in order. Waits poll with a deadline, never sleep a fixed time.
 */
public final class ObservedRun {
    private static final long POLL_INTERVAL_MILLIS = 20;

    private RunHandle handle;
    private RunObservation last;
    private final List<MetricPoint> points = new ArrayList<>();

    public ObservedRun(RunHandle handle) {
        this.handle = handle;
    }

    public RunHandle handle() {
        return handle;
    }

    /** The last observation, or null before the first. */
    public RunObservation last() {
        return last;
    }

    public List<MetricPoint> points() {
        return points;
    }

    /** The values of one metric, in the order they were read. */
    public List<Double> values(String metric) {
        return points.stream().filter(p -> p.name().equals(metric)).map(MetricPoint::value).toList();
    }

    public boolean ended() {
        return last != null && last.isTerminal();
    }

    /** How the run ended; fails unless the last observation was FINISHED. */
    public RunResult result() {
        if (last == null || last.phase() != RunObservation.Phase.FINISHED)
            throw new AssertionError("not FINISHED but " + (last == null ? "never polled" : last.phase()
                    + (last.detail() == null ? "" : ": " + last.detail())));
        return last.result();
    }

    /** One poll; its points and handle are kept, as the controller stores them. */
    public RunObservation poll(TrainingBackend backend) {
        RunObservation o = backend.poll(handle);
        last = o;
        handle = o.handle();
        points.addAll(o.newPoints());
        return o;
    }

    public ObservedRun stop(TrainingBackend backend, StopCause cause) {
        handle = backend.stop(handle, cause);
        return this;
    }

    /** Polls until the run has ended or {@code until} holds. */
    public ObservedRun pollUntil(TrainingBackend backend, Duration patience, Predicate<ObservedRun> until) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            poll(backend);
            if (last.isTerminal() || until.test(this)) return this;
            if (System.nanoTime() > deadline)
                throw new AssertionError("still " + last.phase() + " after " + patience + ", with points " + points);
            try {
                Thread.sleep(POLL_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public ObservedRun pollToEnd(TrainingBackend backend, Duration patience) {
        return pollUntil(backend, patience, run -> false);
    }
}
