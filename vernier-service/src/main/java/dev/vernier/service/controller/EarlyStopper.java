package dev.vernier.service.controller;

import dev.vernier.core.earlystopping.EarlyStoppingRule;
import dev.vernier.core.store.StopDecision;
import dev.vernier.core.store.Store;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code TrainingJobEarlyStoppingType: Auto} on each pass: every running job is judged at
 * every objective data point it reported since the last pass, against the objective series of the
 * tuning job's Completed jobs (jobs that were stopped, early or otherwise, have truncated series and
 * are not a reference). A stop is stored as a {@link StopDecision} together with the stop request;
 * the next pass stops the job, which ends Stopped with its last objective value.
 */
final class EarlyStopper {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopper.class);

    private final Store store;
    private final EarlyStoppingRule rule;
    private final Clock clock;
    /** Objective series of finished jobs (final, so cached) and how many steps of running jobs were judged. */
    private final Map<String, List<Double>> finishedSeries = new ConcurrentHashMap<>();
    private final Map<String, Integer> judgedSteps = new ConcurrentHashMap<>();

    EarlyStopper(Store store, EarlyStoppingRule rule, Clock clock) {
        this.store = store;
        this.rule = rule;
        this.clock = clock;
    }

    void review(TuningPlan plan, TuningProgress progress) {
        String metric = plan.definition(TuningPlan.SINGLE) != null ? plan.definition(TuningPlan.SINGLE).objectiveMetric()
                : plan.definitions().values().iterator().next().objectiveMetric();
        List<List<Double>> reference = new ArrayList<>();
        for (TrainingJob j : progress.jobs())
            if (j.status() == TrainingJobStatus.COMPLETED)
                reference.add(finishedSeries.computeIfAbsent(j.name(), n -> ObjectiveSeries.read(store, n, metric)));
        for (TrainingJob job : progress.running()) {
            if (!job.isLaunched() || job.stopRequested() || job.status() != TrainingJobStatus.IN_PROGRESS) continue;
            List<Double> series = ObjectiveSeries.read(store, job.name(), metric);
            int from = judgedSteps.getOrDefault(job.name(), 0) + 1;
            for (int step = from; step <= series.size(); step++) {
                EarlyStoppingRule.Verdict v = rule.judge(plan.goal(), series.subList(0, step), reference);
                if (v.stop()) {
                    store.recordStopDecision(new StopDecision(job.name(), job.tuningJobName(),
                            StopDecision.Cause.EARLY_STOPPING, step, v.detail(), clock.instant().truncatedTo(ChronoUnit.MILLIS)));
                    LOG.info("early stopping {}: {}", job.name(), v.detail());
                    break;
                }
            }
            judgedSteps.put(job.name(), series.size());
        }
        judgedSteps.keySet().removeIf(n -> progress.running().stream().noneMatch(j -> j.name().equals(n)));
    }

    /** Drops what was cached for an ended tuning job (its training jobs are named {@code <tuning>-NNN-hex}). */
    void forget(String tuningJobName) {
        String prefix = tuningJobName + "-";
        finishedSeries.keySet().removeIf(n -> n.startsWith(prefix));
    }

}
