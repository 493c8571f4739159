package dev.vernier.service;

import dev.vernier.core.store.InvalidTokenException;
import dev.vernier.core.store.Page;
import dev.vernier.core.store.Store;
import dev.vernier.core.store.TrainingJobQuery;
import dev.vernier.core.training.LogChunk;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.service.controller.TuningController;

/** DescribeTrainingJob, ListTrainingJobs, ListTrainingJobsForHyperParameterTuningJob, StopTrainingJob and the log. */
public final class TrainingJobService {
    /** Largest piece of log one call returns. */
    public static final int MAX_LOG_CHUNK = 1 << 20;

    private final Store store;
    private final TuningController controller;
    private final TrainingBackend backend;

    public TrainingJobService(Store store, TuningController controller, TrainingBackend backend) {
        this.store = store;
        this.controller = controller;
        this.backend = backend;
    }

    public TrainingJob describe(String name) {
        return existing(name);
    }

    public Page<TrainingJob> list(TrainingJobQuery query) {
        try {
            return store.listTrainingJobs(query);
        } catch (InvalidTokenException e) {
            throw ServiceException.invalid(e.getMessage());
        }
    }

    /** The training jobs of one tuning job; {@code query} names it. */
    public Page<TrainingJob> listForTuningJob(TrainingJobQuery query) {
        String tuning = query.tuningJobName().orElseThrow();
        if (store.tuningJob(tuning).isEmpty())
            throw ServiceException.notFound("Amazon SageMaker can't find a tuning job with name " + tuning);
        return list(query);
    }

    public void stop(String name) {
        TrainingJob job = store.requestTrainingJobStop(name).orElseThrow(() -> notFound(name));
        if (!job.isRunning())
            throw ServiceException.invalid("Training job " + job.name() + " is in status " + job.status().apiName()
                    + " and cannot be stopped; only InProgress jobs can.");
        controller.wake();
    }

    /** Up to {@code limit} bytes (at most {@link #MAX_LOG_CHUNK}) of a training job's log from byte {@code offset}. */
    public TrainingJobLog log(String name, long offset, long limit) {
        TrainingJob job = existing(name);
        int max = (int) Math.min(MAX_LOG_CHUNK, limit);
        if (!job.isLaunched()) return new TrainingJobLog(job, new byte[0], offset, !job.isRunning());
        LogChunk chunk = backend.readLog(job.runHandle(), offset, max);
        return new TrainingJobLog(job, chunk.bytes(), chunk.nextOffset(), !job.isRunning() && chunk.bytes().length < max);
    }

    /** Every metric data point of a training job, in the order it was logged (for charts). */
    public java.util.List<dev.vernier.core.metrics.MetricPoint> metricSeries(String name) {
        TrainingJob job = existing(name);
        return store.metricSeries(job.name());
    }

    private TrainingJob existing(String name) {
        return store.trainingJob(name).orElseThrow(() -> notFound(name));
    }

    private static ServiceException notFound(String name) {
        return ServiceException.notFound("Requested resource not found: training job " + name + " does not exist.");
    }
}
