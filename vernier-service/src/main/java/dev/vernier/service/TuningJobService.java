package dev.vernier.service;

import dev.vernier.core.store.InvalidTokenException;
import dev.vernier.core.store.Page;
import dev.vernier.core.store.Store;
import dev.vernier.core.store.TuningJobQuery;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import dev.vernier.service.controller.TuningController;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The tuning-job operations: Create, Describe, List, Stop and Delete, on the domain's types. The
 * request's shape and SageMaker's semantic rules were checked at the protocol edge; this class
 * applies what needs the store and the backend, the lifecycle, and the store.
 */
public final class TuningJobService {
    private static final EnumSet<TuningJobStatus> TERMINAL =
            EnumSet.of(TuningJobStatus.COMPLETED, TuningJobStatus.FAILED, TuningJobStatus.STOPPED);

    private final Store store;
    private final ResourceNames names;
    private final Clock clock;
    private final TuningController controller;
    private final LaunchCheck launchCheck;

    /** Checks, at Create time, that the training backend can run every definition; throws ServiceException if not. */
    @FunctionalInterface
    public interface LaunchCheck {
        void check(TuningPlan plan);
    }

    public TuningJobService(Store store, ResourceNames names, LaunchCheck launchCheck, TuningController controller,
                            Clock clock) {
        this.store = store;
        this.names = names;
        this.launchCheck = launchCheck;
        this.controller = controller;
        this.clock = clock;
    }

    /** Stores the job for the controller to run and answers its ARN. */
    public String create(NewTuningJob request) {
        launchCheck.check(request.plan());
        Instant now = now();
        TuningJob job = TuningJob.created(request.name(), names.tuningJobArn(request.name()), request.plan().strategy(),
                now, request.requestDocument());
        if (!store.createTuningJob(job, request.tags()))
            throw ServiceException.alreadyExists("Hyperparameter tuning job " + request.name() + " already exists.");
        controller.wake();
        return job.arn();
    }

    /** The stored job of this name (in any case), if there is one. */
    public Optional<TuningJob> find(String name) {
        return store.tuningJob(name);
    }

    public TuningJobDetails describe(String name) {
        TuningJob job = existing(name);
        TuningPlan plan = controller.plan(job);
        TuningProgress progress = controller.progress(job);
        return new TuningJobDetails(job, plan, progress, overallBest(plan, progress), now());
    }

    public Page<TuningJobSummary> list(TuningJobQuery query) {
        Page<TuningJob> page;
        try {
            page = store.listTuningJobs(query);
        } catch (InvalidTokenException e) {
            throw ServiceException.invalid(e.getMessage());
        }
        return new Page<>(page.items().stream().map(j -> new TuningJobSummary(j, controller.progress(j))).toList(),
                page.nextToken());
    }

    /** InProgress → Stopping (Stopping again is accepted silently); the controller stops its training jobs. */
    public void stop(String name) {
        while (true) {   // compare-and-set: the controller may write the job between our read and our write
            TuningJob job = existing(name);
            if (job.status() == TuningJobStatus.STOPPING) return;
            if (job.status() != TuningJobStatus.IN_PROGRESS)
                throw ServiceException.invalid("Hyperparameter tuning job " + job.name() + " is in status "
                        + job.status().apiName() + " and cannot be stopped; only InProgress jobs can.");
            if (store.updateTuningJob(job.moveTo(TuningJobStatus.STOPPING, now(), null), null).isPresent()) {
                controller.wake();
                return;
            }
        }
    }

    public void delete(String name) {
        switch (store.deleteTuningJob(name, TERMINAL)) {
            case DELETED -> { }
            case NOT_FOUND -> throw notFound(name);
            case NOT_DELETABLE -> throw ServiceException.invalid("Hyperparameter tuning job " + name + " is in status "
                    + existing(name).status().apiName() + "; only Completed, Failed or Stopped jobs can be deleted.");
            case TRAINING_JOBS_RUNNING -> throw ServiceException.invalid("Hyperparameter tuning job " + name
                    + " is still stopping its training jobs; delete it once they have stopped.");
        }
    }

    /** The plan of a stored job (read once from its request and kept). */
    public TuningPlan plan(TuningJob job) {
        return controller.plan(job);
    }

    /** The controller's stored decisions about the job's training jobs (early stops, Hyperband), in order. */
    public List<dev.vernier.core.tuning.JobDecision> decisions(String name) {
        return store.decisions(existing(name).name());
    }

    /**
     * OverallBestTrainingJob: with IdenticalDataAndAlgorithm, the best of this job's and its parents'
     * training jobs (the model documents it for that warm-start type only); ties go to this job's.
     */
    private Optional<TrainingJob> overallBest(TuningPlan plan, TuningProgress progress) {
        if (plan.warmStart() == null || !plan.warmStart().identicalDataAndAlgorithm()) return Optional.empty();
        List<TrainingJob> all = new ArrayList<>(progress.best(plan.goal()).stream().toList());
        for (String parent : plan.warmStart().parents())
            TuningProgress.of(store.trainingJobsOf(parent)).best(plan.goal()).ifPresent(all::add);
        return all.stream().reduce((a, b) -> plan.goal().isBetter(b.objectiveValue(), a.objectiveValue()) ? b : a);
    }

    TuningJob existing(String name) {
        return store.tuningJob(name).orElseThrow(() -> notFound(name));
    }

    private static ServiceException notFound(String name) {
        return ServiceException.notFound("Amazon SageMaker can't find a tuning job with name " + name);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
