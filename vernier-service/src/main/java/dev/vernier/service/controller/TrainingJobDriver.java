package dev.vernier.service.controller;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Lease;
import dev.vernier.core.store.Store;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.service.controller.PlanReader;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one training job along with the backend: launch, stop, observe. Each step stores its result
 * (handle, metric points, status) in one transaction before the next step acts on it, so a crash
 * at any point is recovered by doing the step again; the backend's methods are idempotent.
 */
final class TrainingJobDriver {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingJobDriver.class);

    private final Store store;
    private final TrainingBackend backend;
    private final Clock clock;
    private final TrainingJobLedger ledger;
    /**
     * Parsed definitions by their stored JSON (every job of a definition stores the same text), so
     * that neither a launch nor a poll parses JSON again; the most recent few are kept.
     */
    private final Map<String, TuningPlan.DefinitionPlan> definitions = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TuningPlan.DefinitionPlan> eldest) {
                    return size() > 64;
                }
            });
    private final PlanReader plans;

    TrainingJobDriver(Store store, TrainingBackend backend, PlanReader plans, Clock clock, TrainingJobLedger ledger) {
        this.store = store;
        this.plans = plans;
        this.ledger = ledger;
        this.backend = backend;
        this.clock = clock;
    }

    /** Builds what the backend runs for this job. */
    TrainingJobSpec spec(TrainingJob job) {
        TuningPlan.DefinitionPlan d = definition(job);
        return new TrainingJobSpec(job.name(), job.arn(), job.tuningJobName(), d.trainingImage(), d.trainingInputMode(),
                job.hyperParameters(), d.environment(), d.metricDefinitions(), d.inputChannels(), d.s3OutputPath(),
                d.resources(), d.maxRuntimeInSeconds(), d.enableNetworkIsolation(), d.checkpointsFor(job.name(), job.retryOf()));
    }

    TuningPlan.DefinitionPlan definition(TrainingJob job) {
        String key = (job.definitionName() == null ? "" : job.definitionName()) + "\n" + job.definition();
        return definitions.computeIfAbsent(key, k -> plans.definition(job));
    }

    /**
     * Launches a job just decided. It is not polled yet: a process that has just started has nothing
     * to report, and its exit wakes the controller for the next pass.
     */
    TrainingJob start(TrainingJob job, Lease lease) {
        return job.isLaunched() ? job : launch(job, lease);
    }

    /** Advances one unfinished job; {@code stop} says whether it should end now. Returns the stored snapshot. */
    TrainingJob advance(TrainingJob job, boolean stop, Lease lease) {
        if (!job.isLaunched()) {
            if (stop) return finish(lease, job.finished(TrainingJobStatus.STOPPED, "Stopped", null, false, null,
                    job.finalMetrics(), null, null, now(), 0L, "Stopped before it started"), List.of());
            job = launch(job, lease);
            if (!job.isRunning()) return job;
        }
        RunHandle handle = job.runHandle();
        if (stop && job.status() != TrainingJobStatus.STOPPING) {
            handle = backend.stop(handle, StopCause.USER_REQUEST);
            job = save(job.stopping(handle, now()), List.of(), lease);
        }
        RunObservation seen = backend.poll(handle);
        boolean startedNow = job.isWaiting();
        if (startedNow) {
            if (seen.waiting() != null) return waitingSaid(job, seen, lease);
            // its program has started since the last poll: it trains from now on, or from its end if it has ended
            Instant from = seen.result() != null && seen.result().endTime().isBefore(now())
                    ? seen.result().endTime().truncatedTo(ChronoUnit.MILLIS) : now();
            job = job.launched(handle, from, now());
        }
        List<MetricValue> metrics = merge(job.finalMetrics(), seen.newPoints());
        return switch (seen.phase()) {
            case RUNNING, STOPPING -> !startedNow && seen.newPoints().isEmpty() && seen.handle().equals(handle) ? job
                    : save(job.observed(seen.handle(), metrics), seen.newPoints(), lease);
            case FINISHED -> finished(job, seen, metrics, lease);
            case VANISHED -> finish(lease, job.finished(TrainingJobStatus.FAILED, "Failed",
                    internalError("the training process disappeared", seen.detail()), true,
                    seen.handle(), metrics, null, null, now(), seconds(job), "Training job failed"),
                    seen.newPoints());
        };
    }

    private TrainingJob launch(TrainingJob job, Lease lease) {
        // fenced: a server that lost the lease (paused, cut off) launches nothing; the write changes nothing
        if (lease != null && !store.updateTrainingJob(job, List.of(), lease)) return store.trainingJob(job.name()).orElseThrow();
        try {
            LaunchedRun run = backend.launch(spec(job));
            Instant now = now();
            Instant started = run.startedAt().truncatedTo(ChronoUnit.MILLIS);
            if (started.isAfter(now) || started.isBefore(job.creationTime())) started = now;   // clocks of other hosts
            if (run.waiting() != null) return save(job.waiting(run.handle(), now, run.waiting()), List.of(), lease);
            return save(job.launched(run.handle(), started, now), List.of(), lease);
        } catch (UnsupportedTrainingFeatureException e) {
            return finish(lease, job.finished(TrainingJobStatus.FAILED, "Failed", sentence("ClientError: ", e.getMessage()), false,
                    null, List.of(), null, null, now(), 0L, "Training job failed"), List.of());
        } catch (RuntimeException e) {
            LOG.warn("launching {} failed; it will be retried as an internal error", job.name(), e);
            return finish(lease, job.finished(TrainingJobStatus.FAILED, "Failed",
                    internalError("launching the training job failed", e.getMessage()), true, null,
                    List.of(), null, null, now(), 0L, "Training job failed"), List.of());
        }
    }

    /** A job still waiting to start: stores the new handle, and why it waits when that changed. */
    private TrainingJob waitingSaid(TrainingJob job, RunObservation seen, Lease lease) {
        String said = job.transitions().getLast().message();
        if (seen.handle().equals(job.runHandle()) && seen.waiting().equals(said)) return job;
        return save(job.waiting(seen.handle(), now(), seen.waiting()), List.of(), lease);
    }

    /** "InternalServerError: what: detail", the detail without a class prefix of its own repeated, never "null". */
    static String internalError(String what, String detail) {
        String d = detail == null || detail.isBlank() ? null : detail.strip().replaceFirst("^InternalServerError: ", "");
        return "InternalServerError: " + what + (d == null ? "" : ": " + d);
    }

    /** {@code prefix + message}, unless the message already starts with it; never "null". */
    static String sentence(String prefix, String message) {
        if (message == null || message.isBlank()) return prefix + "no detail was given";
        return message.startsWith(prefix) ? message : prefix + message;
    }

    private TrainingJob finished(TrainingJob job, RunObservation seen, List<MetricValue> metrics, Lease lease) {
        RunResult r = seen.result();
        TrainingJobStatus status = switch (r.status()) {
            case COMPLETED -> TrainingJobStatus.COMPLETED;
            case FAILED -> TrainingJobStatus.FAILED;
            case STOPPED -> TrainingJobStatus.STOPPED;
        };
        Double objective = status == TrainingJobStatus.FAILED ? null : objective(job, metrics);
        String message = switch (r.secondaryStatus()) {
            case COMPLETED -> "Training job completed";
            case FAILED -> "Training job failed";
            case STOPPED -> "Training job stopped";
            case MAX_RUNTIME_EXCEEDED -> "Training job exceeded MaxRuntimeInSeconds and was stopped";
        };
        return finish(lease, job.finished(status, r.secondaryStatus().wireName(), r.failureReason(), false,
                seen.handle(), metrics, objective, r.modelArtifactUri(), r.endTime().truncatedTo(ChronoUnit.MILLIS),
                r.trainingTimeInSeconds(), message), seen.newPoints());
    }

    private Double objective(TrainingJob job, List<MetricValue> metrics) {
        String name = definition(job).objectiveMetric();
        return metrics.stream().filter(m -> m.name().equals(name)).map(MetricValue::value).findFirst().orElse(null);
    }

    private TrainingJob finish(Lease lease, TrainingJob finished, List<MetricPoint> points) {
        return save(finished, points, lease);
    }

    private TrainingJob save(TrainingJob job, List<MetricPoint> points, Lease lease) {
        return ledger.recording(() -> List.of(store.updateTrainingJob(job, points, lease) ? job
                : store.trainingJob(job.name()).orElseThrow())).getFirst();   // already final: keep what is stored
    }

    /** The last value of each metric, in the order metrics first appeared. */
    static List<MetricValue> merge(List<MetricValue> last, List<MetricPoint> points) {
        if (points.isEmpty()) return last;
        Map<String, MetricValue> byName = new LinkedHashMap<>();
        last.forEach(m -> byName.put(m.name(), m));
        points.forEach(p -> byName.put(p.name(), new MetricValue(p.name(), p.value(), p.timestamp())));
        return new ArrayList<>(byName.values());
    }

    private long seconds(TrainingJob job) {
        return job.trainingStartTime() == null ? 0
                : Math.max(1, java.time.Duration.between(job.trainingStartTime(), now()).toSeconds());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
