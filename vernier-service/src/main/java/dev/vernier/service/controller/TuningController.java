package dev.vernier.service.controller;

import dev.vernier.core.earlystopping.MedianStoppingRule;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.store.Store;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.Strategies;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import dev.vernier.service.PlanReader;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop. Every pass: (1) advance every unfinished training job with the backend —
 * launch, stop when its tuning job no longer runs or StopTrainingJob asked, observe; (2) for every
 * active tuning job, recount from the stored training jobs and decide — finish, fail, retry,
 * propose; (3) start the jobs just proposed. Steps (1) and (3) run one task per job on worker
 * threads, and the pass waits for them. Decisions are stored before they are acted on, and every
 * action is idempotent, so a crash anywhere is recovered by the next pass of a new process.
 *
 * <p>When a tuning job ends (see {@link #decide}): Completed once MaxNumberOfTrainingJobs jobs
 * have finished (or the strategy has nothing left to propose) and at least one produced the
 * objective; Failed when none did, or as soon as the first {@value #FAIL_FAST_JOBS} counted jobs
 * (fewer when the budget is smaller) all failed for non-internal reasons with no objective, which
 * saves running a broken training program again and again. A completion criterion or
 * ResourceLimits.MaxRuntimeInSeconds ends it earlier: stored as the finishing reason, running jobs
 * stopped, then Completed. Before proposing, {@link EarlyStopper} (Auto) or {@link HyperbandStopper}
 * judges the running jobs; their stop decisions are stored and acted on by the next pass.
 */
public final class TuningController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TuningController.class);
    static final int FAIL_FAST_JOBS = 3;
    private static final int PASS_WORKERS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final Store store;
    private final TrainingJobDriver driver;
    private final Proposer proposer;
    private final EarlyStopper earlyStopper;
    private final WarmStartObservations warmStart;
    private final HyperbandStopper hyperband;
    private final Clock clock;
    private final TrainingJobLedger ledger;
    private final int maxConcurrentTrainingJobs;
    private final Map<String, TuningPlan> planCache = new ConcurrentHashMap<>();
    /**
     * The strategy's state and the finishing reason of each active tuning job, as last stored. Only
     * this controller writes them, so a pass need not read them back (read once after a restart).
     */
    private final Map<String, Optional<String>> strategyStates = new HashMap<>(), finishingReasons = new HashMap<>();
    private final Semaphore wakeUps = new Semaphore(0);
    /** Advance and start training jobs in parallel within a pass, one job per task. */
    private final ExecutorService workers = Executors.newFixedThreadPool(PASS_WORKERS,
            Thread.ofPlatform().daemon().name("tuning-worker-", 0).factory());
    private volatile boolean running = true;
    private Thread loop;

    private final PlanReader plans;

    public TuningController(Store store, TrainingBackend backend, PlanReader plans, ResourceNames names,
                            Clock clock, int maxConcurrentTrainingJobs) {
        this.store = store;
        this.plans = plans;
        this.ledger = new TrainingJobLedger(store);
        this.driver = new TrainingJobDriver(store, backend, plans, clock, ledger);
        this.proposer = new Proposer(names);
        this.earlyStopper = new EarlyStopper(store, MedianStoppingRule.defaults(), clock);
        this.warmStart = new WarmStartObservations(store);
        this.hyperband = new HyperbandStopper(store, clock);
        this.clock = clock;
        this.maxConcurrentTrainingJobs = maxConcurrentTrainingJobs;
    }

    public void start(long periodMillis) {
        loop = Thread.ofPlatform().name("tuning-controller").daemon().start(() -> {
            while (running) {
                try {
                    reconcileOnce();
                } catch (RuntimeException e) {
                    LOG.error("reconcile pass failed; the next pass retries", e);
                }
                try {
                    if (wakeUps.tryAcquire(periodMillis, TimeUnit.MILLISECONDS)) wakeUps.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Runs the next pass now rather than at the end of the period (a job was created, stopped, or ended). */
    public void wake() {
        wakeUps.release();
    }

    /** The plan of a stored tuning job, parsed once. */
    public TuningPlan plan(TuningJob job) {
        return planCache.computeIfAbsent(job.name(), n -> plans.plan(job));
    }

    /**
     * The progress of a stored tuning job: the controller's own while it drives the job (the same as
     * the store's, without reading every training job again), else read from the store.
     */
    public TuningProgress progress(TuningJob job) {
        return ledger.known(job.name()).orElseGet(() -> TuningProgress.of(store.trainingJobsOf(job.name())));
    }

    /** One pass over every unfinished training job and every active tuning job. */
    public synchronized void reconcileOnce() {
        Map<String, TuningJobStatus> active = new HashMap<>();
        List<TuningJob> tuningJobs = store.tuningJobsIn(EnumSet.of(TuningJobStatus.IN_PROGRESS, TuningJobStatus.STOPPING));
        tuningJobs.forEach(t -> active.put(ResourceNames.key(t.name()), t.status()));
        List<TrainingJob> unfinishedJobs = store.unfinishedTrainingJobs();
        ledger.refresh(unfinishedJobs);
        List<Callable<Boolean>> advances = new ArrayList<>();
        for (TrainingJob job : unfinishedJobs) {
            boolean stop = job.stopRequested() || active.get(ResourceNames.key(job.tuningJobName())) != TuningJobStatus.IN_PROGRESS;
            advances.add(() -> {
                try {
                    return driver.advance(job, stop).isRunning();
                } catch (RuntimeException e) {
                    LOG.warn("advancing training job {} failed; retrying next pass", job.name(), e);
                    return true;
                }
            });
        }
        int unfinished = (int) runAll(advances).stream().filter(stillRunning -> stillRunning).count();
        if (!running || Thread.currentThread().isInterrupted()) return;   // closing: decide and start nothing more
        int[] freeSlots = {maxConcurrentTrainingJobs - unfinished};
        List<TrainingJob> toStart = new ArrayList<>();
        for (TuningJob tuning : tuningJobs) {
            try {
                decide(tuning, freeSlots, toStart);
            } catch (RuntimeException e) {
                LOG.warn("deciding for tuning job {} failed; retrying next pass", tuning.name(), e);
            }
        }
        runAll(toStart.stream().map(job -> (Callable<Boolean>) () -> {
            try {
                driver.start(job);
            } catch (RuntimeException e) {
                LOG.warn("starting training job {} failed; retrying next pass", job.name(), e);
            }
            return true;
        }).toList());
    }

    /**
     * Runs a pass's independent per-job steps (each job is advanced or started by one task) on the
     * workers and waits for all of them: launching and finishing jobs is most of a pass, and one
     * thread doing it all was the bottleneck of a busy server. Every submitted step is waited for,
     * even when another failed, so that no step of this pass is still running when the next pass
     * reads the store; the controller thread runs none itself, so interrupting it (see close)
     * cancels no step half-way.
     */
    private <T> List<T> runAll(List<Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>();
        RuntimeException failure = null;
        for (Callable<T> task : tasks) {
            try {
                futures.add(workers.submit(task));
            } catch (RejectedExecutionException e) {   // closed: no more steps, but wait for those submitted
                failure = e;
                break;
            }
        }
        List<T> results = new ArrayList<>();
        boolean interrupted = false;
        for (Future<T> f : futures) {
            while (true) {
                try {
                    results.add(f.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) failure = new IllegalStateException("a step of the pass failed", e.getCause());
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure != null) throw failure;
        return results;
    }

    private void decide(TuningJob tuning, int[] freeSlots, List<TrainingJob> toStart) {
        TuningPlan plan = plan(tuning);
        if (!Strategies.has(plan.strategy())) {
            end(tuning, tuning.status(), tuning.status() == TuningJobStatus.STOPPING ? TuningJobStatus.STOPPED
                    : TuningJobStatus.FAILED, "Strategy " + plan.strategy() + " is not supported by Vernier yet; "
                    + "use Bayesian, Random or Grid.");
            return;
        }
        TuningProgress progress = ledger.progress(tuning.name());
        if (tuning.status() == TuningJobStatus.STOPPING) {
            if (progress.running().isEmpty()) end(tuning, TuningJobStatus.STOPPING, TuningJobStatus.STOPPED, null);
            return;
        }
        if (failedFast(plan, progress)) {
            TrainingJob last = progress.finishedCounted().getLast();
            end(tuning, TuningJobStatus.IN_PROGRESS, TuningJobStatus.FAILED, "The first " + failFastCount(plan)
                    + " training jobs failed; the last one (" + last.name() + ") failed with: " + last.failureReason());
            return;
        }
        if (finishing(tuning, plan, progress)) return;
        if (plan.earlyStopping()) earlyStopper.review(plan, progress);
        if (plan.hyperband() != null) hyperband.review(plan, progress);
        Map<String, Integer> retryLimits = new HashMap<>();
        plan.definitions().forEach((k, d) -> retryLimits.put(k, d.maxRetries()));
        List<TrainingJob> toRetry = progress.toRetry(retryLimits);
        int slots = Math.max(0, Math.min(plan.maxParallelTrainingJobs() - progress.running().size(), freeSlots[0]));
        long budget = plan.maxTrainingJobs() - progress.counted();
        if (progress.running().isEmpty() && toRetry.isEmpty() && budget <= 0) {
            complete(tuning, plan, progress);
            return;
        }
        if (slots == 0) return;
        Instant now = now();
        int ordinal = progress.jobs().size();
        List<TrainingJob> created = new ArrayList<>();
        Set<String> leaveOut = new HashSet<>(progress.superseded());
        for (TrainingJob failed : toRetry.subList(0, Math.min(slots, toRetry.size()))) {
            created.add(proposer.retry(plan, failed, ++ordinal, now));
            leaveOut.add(failed.name());
        }
        int wanted = (int) Math.min(slots - created.size(), budget);
        String state = strategyStates.computeIfAbsent(tuning.name(), store::strategyState).orElse(null);
        if (wanted > 0) {
            List<TrainingJob> history = new ArrayList<>(progress.jobs());
            history.addAll(created);
            List<dev.vernier.core.strategy.Observation> observations = new ArrayList<>(warmStart.of(plan));
            observations.addAll(proposer.observations(plan, history, leaveOut));
            Proposal proposal = proposer.propose(plan, observations, state, wanted);
            for (Configuration c : proposal.configurations()) created.add(proposer.newJob(plan, c, ++ordinal, now));
            state = proposal.state();
            if (proposal.configurations().isEmpty() && created.isEmpty() && progress.running().isEmpty()) {
                complete(tuning, plan, progress);   // the strategy has nothing left (e.g. a finished grid)
                return;
            }
        }
        if (created.isEmpty()) return;
        String decided = state;
        List<TrainingJob> stored = ledger.recording(() -> {
            store.addTrainingJobs(tuning.name(), created, decided);
            strategyStates.put(tuning.name(), Optional.ofNullable(decided));
            // as read back: their hyperparameter maps are then the very ones (same iteration order)
            // that any later read of the store builds, so Describe renders them the same either way
            return created.stream().map(j -> store.trainingJob(j.name()).orElseThrow()).toList();
        });
        freeSlots[0] -= created.size();
        toStart.addAll(stored);
    }

    /**
     * Whether a completion criterion or the runtime limit has ended the tuning job. The decision is
     * stored first; then running training jobs are asked to stop (their last objective counts), and
     * the job completes once none runs.
     */
    private boolean finishing(TuningJob tuning, TuningPlan plan, TuningProgress progress) {
        String reason = finishingReasons.computeIfAbsent(tuning.name(), store::finishingReason).orElse(null);
        if (reason == null) {
            String early = earlyFinish(tuning, plan, progress);
            if (early == null) return false;
            LOG.info("tuning job {} finishes early: {}", tuning.name(), early);
            Optional<String> stored = store.markFinishing(tuning.name(), early);
            finishingReasons.put(tuning.name(), stored);
            if (stored.isEmpty()) return true;
        }
        for (TrainingJob job : progress.running())
            if (!job.stopRequested()) store.requestTrainingJobStop(job.name());
        if (progress.running().isEmpty()) complete(tuning, plan, progress);
        return true;
    }

    /** Why the tuning job ends before its budget is spent (MaxRuntimeInSeconds, completion criteria), or null. */
    private String earlyFinish(TuningJob tuning, TuningPlan plan, TuningProgress progress) {
        if (plan.maxRuntimeInSeconds() > 0
                && !now().isBefore(tuning.creationTime().plusSeconds(plan.maxRuntimeInSeconds())))
            return "ResourceLimits.MaxRuntimeInSeconds (" + plan.maxRuntimeInSeconds() + " s) reached";
        return progress.completion(plan).reason();
    }

    private boolean failedFast(TuningPlan plan, TuningProgress progress) {
        if (progress.objectives(ObjectiveStatus.SUCCEEDED) > 0) return false;
        List<TrainingJob> finished = progress.finishedCounted();
        int n = failFastCount(plan);
        return finished.size() >= n && finished.stream().limit(n)
                .allMatch(j -> j.status() == TrainingJobStatus.FAILED && !j.retryable());
    }

    private static int failFastCount(TuningPlan plan) {
        return Math.max(1, Math.min(FAIL_FAST_JOBS, plan.maxTrainingJobs()));
    }

    private void complete(TuningJob tuning, TuningPlan plan, TuningProgress progress) {
        if (progress.objectives(ObjectiveStatus.SUCCEEDED) > 0) {
            end(tuning, TuningJobStatus.IN_PROGRESS, TuningJobStatus.COMPLETED, null);
        } else {
            String lastReason = progress.jobs().isEmpty() ? "no training job ran"
                    : "the last failure was: " + progress.jobs().getLast().failureReason();
            end(tuning, TuningJobStatus.IN_PROGRESS, TuningJobStatus.FAILED, "None of the " + progress.counted()
                    + " training jobs produced the objective metric; " + lastReason);
        }
    }

    private void end(TuningJob tuning, TuningJobStatus from, TuningJobStatus to, String reason) {
        store.transitionTuningJob(tuning.name(), EnumSet.of(from), to, now(), reason);
        planCache.remove(tuning.name());
        strategyStates.remove(tuning.name());
        finishingReasons.remove(tuning.name());
        ledger.forget(tuning.name());
        earlyStopper.forget(tuning.name());
        warmStart.forget(tuning.name());
        hyperband.forget(tuning.name());
        LOG.info("tuning job {} is {}", tuning.name(), to.apiName());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public void close() {
        running = false;
        try {
            if (loop != null) {
                wake();   // the pass under way finishes; the loop then sees it should stop
                loop.join(5_000);
                if (loop.isAlive()) {
                    loop.interrupt();
                    loop.join(5_000);
                }
            }
            workers.shutdown();
            // never shutdownNow: an interrupted step fails its launch or poll on a closed file channel
            if (!workers.awaitTermination(60, TimeUnit.SECONDS))
                LOG.warn("a training-job step is still running after 60 s; closing anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
