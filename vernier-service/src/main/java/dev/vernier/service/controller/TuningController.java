package dev.vernier.service.controller;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.store.Lease;
import dev.vernier.core.store.StaleLeaseException;
import dev.vernier.core.store.Store;
import dev.vernier.core.store.StoreUnavailableException;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import dev.vernier.core.tuning.reconcile.Decisions;
import dev.vernier.core.tuning.reconcile.Reconciler;
import dev.vernier.core.tuning.reconcile.TuningState;
import dev.vernier.service.controller.PlanReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
 * The reconcile loop: the thread machinery around {@link Reconciler}. Every pass: (0) take or renew
 * the leases of the tuning jobs this server drives; (1) advance every unfinished training job of
 * those with the backend — launch, stop when its tuning job no longer runs or a stop was asked,
 * observe; (2) for every one of those tuning jobs, gather its state, let {@link Reconciler#decide}
 * decide, and store the decisions; (3) start the jobs just stored. Steps (1) and (3) run one task per
 * job on worker threads, and the pass waits for them. Decisions are stored before they are acted on,
 * every write carries the lease, and every action is idempotent, so a crash anywhere is recovered by
 * the next pass of a new process, and a server that lost a lease cannot act on it.
 */
public final class TuningController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TuningController.class);
    private static final int PASS_WORKERS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final EnumSet<TuningJobStatus> ACTIVE = EnumSet.of(TuningJobStatus.IN_PROGRESS, TuningJobStatus.STOPPING);
    /** How long a lease lasts without renewal; renewed after a third of it. */
    static final Duration LEASE_TTL = Duration.ofSeconds(15);
    /**
     * How long a server counts as alive after its last heartbeat (sent with each renewal): shorter than
     * a lease, so that the others count it out, and take bigger shares, before its leases expire.
     */
    static final Duration HEARTBEAT_TTL = LEASE_TTL.multipliedBy(2).dividedBy(3);
    /** How often a server looks for leases that expired or were given up while other servers hold the rest. */
    static final Duration TAKEOVER_POLL = Duration.ofSeconds(1);
    /**
     * The longest wait between passes while nothing changes. A pass reads every unfinished job and the
     * logs of the running ones, and costs milliseconds of CPU that the training programs on the same cores
     * need: passes that find nothing new space out (the period, doubled up to this), and anything that
     * changes, or a wake-up (a job created, stopped, ended), brings them back to the period at once.
     */
    static final long QUIET_PERIOD_MAX_MILLIS = 1_000;

    private final Store store;
    private final TrainingBackend backend;
    private final PlanReader plans;
    private final TrainingJobDriver driver;
    private final Proposer proposer;
    private final WarmStartObservations warmStart;
    private final Clock clock;
    private final TrainingJobLedger ledger;
    private final int maxConcurrentTrainingJobs;
    /** This process, as the owner of its leases. */
    private final String owner = "vernier-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    private final Map<String, TuningPlan> planCache = new ConcurrentHashMap<>();
    /** The leases held, by tuning-job key, and when they were last renewed. */
    private Map<String, Lease> leases = Map.of();
    private Instant leasesRenewed = Instant.MIN;
    /** The tuning jobs that needed driving and were not this server's at the last pass (most are other servers'). */
    private java.util.Set<String> unownedSeen = java.util.Set.of();
    /** Whether the last pass found the database unreachable (the controller then pauses, and says so once). */
    private boolean paused;
    /** Whether the last pass changed anything (a job advanced, a decision, a start): the next comes sooner. */
    private boolean lastPassChanged;
    /** Per tuning job: how many steps of each running job the stopping rule has judged (the reconciler's memory). */
    private final Map<String, Map<String, Integer>> judgedSteps = new HashMap<>();
    /** Objective series of finished training jobs (final, so read once), by training-job name. */
    private final Map<String, List<Double>> finishedSeries = new ConcurrentHashMap<>();
    private final Semaphore wakeUps = new Semaphore(0);
    /** Advance and start training jobs in parallel within a pass, one job per task. */
    private final ExecutorService workers = Executors.newFixedThreadPool(PASS_WORKERS,
            Thread.ofPlatform().daemon().name("tuning-worker-", 0).factory());
    private volatile boolean running = true;
    private Thread loop;

    public TuningController(Store store, TrainingBackend backend, PlanReader plans, ResourceNames names,
                            Clock clock, int maxConcurrentTrainingJobs) {
        this.store = store;
        this.backend = backend;
        this.plans = plans;
        this.ledger = new TrainingJobLedger(store);
        this.driver = new TrainingJobDriver(store, backend, plans, clock, ledger);
        this.proposer = new Proposer(names);
        this.warmStart = new WarmStartObservations(store);
        this.clock = clock;
        this.maxConcurrentTrainingJobs = maxConcurrentTrainingJobs;
    }

    public void start(long periodMillis) {
        loop = Thread.ofPlatform().name("tuning-controller").daemon().start(() -> {
            int quietPasses = 0;
            while (running) {
                long wait = periodMillis;
                try {
                    reconcileOnce();
                    quietPasses = lastPassChanged ? 0 : Math.min(quietPasses + 1, 16);
                    wait = quietWait(periodMillis, quietPasses);
                    if (paused) LOG.info("the database answers again: the controller resumes");
                    paused = false;
                } catch (StoreUnavailableException e) {
                    if (!paused) LOG.warn("the database is not reachable; the controller pauses until it is: {}", e.getMessage());
                    paused = true;
                    wait = Math.max(periodMillis, 1_000);
                } catch (RuntimeException e) {
                    LOG.error("reconcile pass failed; the next pass retries", e);
                }
                try {
                    if (wakeUps.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                        wakeUps.drainPermits();
                        quietPasses = 0;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** The wait after {@code quietPasses} passes in a row that changed nothing: the period, doubled each time, up to a second. */
    static long quietWait(long periodMillis, int quietPasses) {
        long wait = periodMillis;
        for (int i = 1; i < quietPasses && wait < QUIET_PERIOD_MAX_MILLIS; i++) wait *= 2;
        return Math.max(periodMillis, Math.min(wait, QUIET_PERIOD_MAX_MILLIS));
    }

    /** Runs the next pass now rather than at the end of the period (a job was created, stopped, or ended). */
    public void wake() {
        wakeUps.release();
    }

    /** The plan of a stored tuning job, read once. */
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

    /** One pass over the tuning jobs this server drives and their unfinished training jobs. */
    public synchronized void reconcileOnce() {
        Instant now = now();
        lastPassChanged = false;
        List<TuningJob> active = store.tuningJobsIn(ACTIVE);
        List<TrainingJob> unfinished = store.unfinishedTrainingJobs();
        renewLeases(now, active, unfinished);
        Map<String, TuningJobStatus> statuses = new HashMap<>();
        active.forEach(t -> statuses.put(ResourceNames.key(t.name()), t.status()));
        List<TrainingJob> mine = unfinished.stream()
                .filter(j -> leases.containsKey(ResourceNames.key(j.tuningJobName()))).toList();
        ledger.refresh(mine);
        List<Callable<Advanced>> advances = new ArrayList<>();
        for (TrainingJob job : mine) {
            String tuningKey = ResourceNames.key(job.tuningJobName());
            boolean stop = job.stopRequested() || statuses.get(tuningKey) != TuningJobStatus.IN_PROGRESS;
            Lease lease = leases.get(tuningKey);
            advances.add(() -> {
                try {
                    TrainingJob advanced = driver.advance(job, stop, lease);
                    return new Advanced(advanced.isRunning(), advanced != job);   // the same snapshot: nothing new
                } catch (StaleLeaseException e) {
                    LOG.info("lost the lease on {} while advancing {}: {}", job.tuningJobName(), job.name(), e.getMessage());
                    return new Advanced(false, true);
                } catch (RuntimeException e) {
                    LOG.warn("advancing training job {} failed; retrying next pass", job.name(), e);
                    return new Advanced(true, true);
                }
            });
        }
        List<Advanced> advanced = runAll(advances);
        if (advanced.stream().anyMatch(Advanced::changed)) lastPassChanged = true;
        int stillRunning = (int) advanced.stream().filter(Advanced::running).count();
        if (!running || Thread.currentThread().isInterrupted()) return;   // closing: decide and start nothing more
        int[] freeSlots = {maxConcurrentTrainingJobs - stillRunning};
        List<Start> toStart = new ArrayList<>();
        for (TuningJob tuning : active) {
            Lease lease = leases.get(ResourceNames.key(tuning.name()));
            if (lease == null) continue;
            try {
                toStart.addAll(reconcile(tuning, lease, freeSlots));
            } catch (StaleLeaseException e) {
                LOG.info("lost the lease on tuning job {}: {}", tuning.name(), e.getMessage());
                dropLease(tuning.name());
            } catch (RuntimeException e) {
                LOG.warn("deciding for tuning job {} failed; retrying next pass", tuning.name(), e);
            }
        }
        if (!toStart.isEmpty()) lastPassChanged = true;
        runAll(toStart.stream().map(s -> (Callable<Boolean>) () -> {
            try {
                driver.start(s.job(), s.lease());
            } catch (RuntimeException e) {
                LOG.warn("starting training job {} failed; retrying next pass", s.job().name(), e);
            }
            return true;
        }).toList());
    }

    private record Start(TrainingJob job, Lease lease) {}

    /** What advancing one training job did: whether it still runs, and whether anything about it changed. */
    private record Advanced(boolean running, boolean changed) {}

    /**
     * Takes the leases of jobs that need driving and nobody drives, and renews the held ones once a
     * third of their time has passed; a lease no longer held is forgotten with everything known of its job.
     * With several servers on one database each takes at most its share (the jobs that need driving
     * divided by the servers alive, rounded up), so that work spreads; a job none of them holds is
     * looked for at once when it is new and every {@link #TAKEOVER_POLL} otherwise (another server's
     * lease expiring or given up).
     */
    private void renewLeases(Instant now, List<TuningJob> active, List<TrainingJob> unfinished) {
        java.util.Set<String> needing = new java.util.HashSet<>();
        active.forEach(t -> needing.add(ResourceNames.key(t.name())));
        unfinished.forEach(j -> needing.add(ResourceNames.key(j.tuningJobName())));
        java.util.Set<String> unowned = new java.util.HashSet<>(needing);
        unowned.removeAll(leases.keySet());
        boolean renewDue = !now.isBefore(leasesRenewed.plus(LEASE_TTL.dividedBy(3)));
        boolean newJob = !unownedSeen.containsAll(unowned);
        boolean poll = !unowned.isEmpty() && !now.isBefore(leasesRenewed.plus(TAKEOVER_POLL));
        if (!renewDue && !newJob && !poll) return;
        int servers = Math.max(1, store.heartbeat(owner, now, HEARTBEAT_TTL));
        // leases on jobs that no longer need driving stay with their owner: count only those that do
        int holding = (int) leases.keySet().stream().filter(needing::contains).count();
        int share = (needing.size() + servers - 1) / servers;
        int maxNew = servers == 1 ? Integer.MAX_VALUE : Math.max(0, share - holding);
        Map<String, Lease> held = new HashMap<>();
        for (Lease l : store.acquireLeases(owner, now, LEASE_TTL, maxNew))
            held.put(ResourceNames.key(l.tuningJobName()), l);
        for (String lost : leases.keySet()) if (!held.containsKey(lost)) forget(lost);
        if (!held.keySet().equals(leases.keySet()))
            LOG.debug("{} drives {} of {} tuning jobs ({} servers)", owner, held.size(), needing.size(), servers);
        leases = held;
        leasesRenewed = now;
        unowned.removeAll(held.keySet());
        unownedSeen = unowned;
    }

    private void dropLease(String tuningJobName) {
        Map<String, Lease> held = new HashMap<>(leases);
        held.remove(ResourceNames.key(tuningJobName));
        leases = held;
        forget(tuningJobName);
    }

    /** Gathers a tuning job's state, decides, and stores the decisions; answers the training jobs to start. */
    private List<Start> reconcile(TuningJob tuning, Lease lease, int[] freeSlots) {
        TuningPlan plan = plan(tuning);
        TuningProgress progress = ledger.progress(tuning.name());
        Map<String, Integer> judged = judgedSteps.getOrDefault(tuning.name(), Map.of());
        Decisions d = Reconciler.decide(new TuningState(tuning, plan, progress, warmStart.of(plan),
                objectiveSeries(plan, progress), promotions(plan), judged, freeSlots[0], now()));
        judgedSteps.put(tuning.name(), d.judgedSteps());
        if (d.isEmpty()) return List.of();
        lastPassChanged = true;
        if (!d.jobDecisions().isEmpty()) {
            store.recordDecisions(d.jobDecisions(), lease);
            d.jobDecisions().stream().filter(j -> j.kind().stops())
                    .forEach(j -> LOG.info("{} stops {}: {}", j.kind(), j.trainingJobName(), j.detail()));
        }
        TuningJob current = tuning;
        if (d.finishing() != null) {
            LOG.info("tuning job {} finishes early: {}", tuning.name(), d.finishing());
            Optional<TuningJob> stored = store.updateTuningJob(current.finishing(d.finishing()), lease);
            if (stored.isEmpty()) return List.of();   // changed meanwhile (stopped?): decide again next pass
            current = stored.get();
        }
        for (String job : d.stopRequests()) store.requestTrainingJobStop(job);
        List<Start> toStart = new ArrayList<>();
        if (!d.newJobs().isEmpty()) {
            Instant now = now();
            List<TrainingJob> created = d.newJobs().stream().map(n -> proposer.job(plan, n, now)).toList();
            TuningJob withState = current.withStrategyState(d.strategyState());
            List<TrainingJob> stored = ledger.recording(() -> {
                if (store.addTrainingJobs(withState, created, lease).isEmpty()) return List.of();
                // as read back: their hyperparameter maps are then the very ones (same iteration order)
                // that any later read of the store builds, so Describe renders them the same either way
                return created.stream().map(j -> store.trainingJob(j.name()).orElseThrow()).toList();
            });
            if (stored.isEmpty()) return List.of();
            current = withState.nextVersion();
            freeSlots[0] -= stored.size();
            stored.forEach(j -> toStart.add(new Start(j, lease)));
        }
        if (d.end() != null) {
            String reason = SilentJobs.explain(d.end().failureReason(), d.end().silentJob(), d.end().objectiveRegex(),
                    store, backend);
            TuningJob ended = current.moveTo(d.end().status(), now(), reason);
            if (store.updateTuningJob(ended, lease).isPresent()) {
                forget(tuning.name());
                LOG.info("tuning job {} is {}", tuning.name(), ended.status().apiName());
            }
        }
        return toStart;
    }

    /** The objective series the stopping rule judges: every launched job's, when the plan has a rule. */
    private Map<String, List<Double>> objectiveSeries(TuningPlan plan, TuningProgress progress) {
        if (!plan.earlyStopping() && plan.hyperband() == null) return Map.of();
        String metric = plan.definition(TuningPlan.SINGLE) != null ? plan.definition(TuningPlan.SINGLE).objectiveMetric()
                : plan.definitions().values().iterator().next().objectiveMetric();
        Map<String, List<Double>> out = new HashMap<>();
        for (TrainingJob j : progress.jobs()) {
            if (!j.isLaunched() && j.isRunning()) continue;
            out.put(j.name(), j.isRunning() ? series(j.name(), metric)
                    : finishedSeries.computeIfAbsent(j.name(), n -> series(n, metric)));
        }
        return out;
    }

    private List<Double> series(String trainingJobName, String metric) {
        List<Double> out = new ArrayList<>();
        for (MetricPoint p : store.metricSeries(trainingJobName)) if (p.name().equals(metric)) out.add(p.value());
        return out;
    }

    private Map<String, Integer> promotions(TuningPlan plan) {
        if (plan.hyperband() == null) return Map.of();
        Map<String, Integer> out = new HashMap<>();
        for (JobDecision d : store.decisions(plan.tuningJobName()))
            if (d.kind() == JobDecision.Kind.PROMOTION) out.merge(d.trainingJobName(), d.step(), Math::max);
        return out;
    }

    /** Drops what is known of a tuning job this controller no longer drives. */
    private void forget(String tuningJobName) {
        planCache.remove(tuningJobName);
        judgedSteps.remove(tuningJobName);
        ledger.forget(tuningJobName);
        warmStart.forget(tuningJobName);
        String prefix = tuningJobName + "-";
        finishedSeries.keySet().removeIf(n -> n.startsWith(prefix));
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

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Stops the loop, waits for the steps under way, and gives up the leases so that another server takes over at once. */
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
            store.releaseLeases(owner);
            store.heartbeat(owner, now(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("could not give up the leases on closing; they expire by themselves", e);
        }
    }
}
