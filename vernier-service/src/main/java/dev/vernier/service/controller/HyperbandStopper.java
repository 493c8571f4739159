package dev.vernier.service.controller;

import dev.vernier.core.earlystopping.EarlyStoppingRule;
import dev.vernier.core.store.StopDecision;
import dev.vernier.core.store.Store;
import dev.vernier.core.strategy.hyperband.HyperbandSchedule;
import dev.vernier.core.strategy.hyperband.SuccessiveHalvingRule;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Hyperband to running jobs on each pass: a job belongs to the bracket
 * {@link HyperbandSchedule#bracketOf} gives its ordinal, and at every rung of that bracket it is judged
 * by {@link SuccessiveHalvingRule} against the other jobs of its bracket (running or finished).
 * Promotions are stored, and a restart resumes after the highest stored rung, so a job is never
 * judged twice at one rung; stops are stored as {@link StopDecision}s with the stop request.
 */
final class HyperbandStopper {
    private static final Logger LOG = LoggerFactory.getLogger(HyperbandStopper.class);

    private final Store store;
    private final Clock clock;
    private final Map<String, List<Double>> finishedSeries = new ConcurrentHashMap<>();
    private final Map<String, Integer> judgedSteps = new ConcurrentHashMap<>();

    HyperbandStopper(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void review(TuningPlan plan, TuningProgress progress) {
        HyperbandSchedule schedule = plan.hyperband();
        String metric = plan.definitions().values().iterator().next().objectiveMetric();
        Map<String, List<Double>> series = new HashMap<>();
        Map<Integer, List<String>> byBracket = new HashMap<>();
        for (TrainingJob j : progress.jobs()) {
            if (!j.isLaunched() && j.isRunning()) continue;
            series.put(j.name(), j.isRunning() ? ObjectiveSeries.read(store, j.name(), metric)
                    : finishedSeries.computeIfAbsent(j.name(), n -> ObjectiveSeries.read(store, n, metric)));
            byBracket.computeIfAbsent(schedule.bracketOf(j.ordinal()), b -> new ArrayList<>()).add(j.name());
        }
        Map<String, Integer> promoted = store.promotions(plan.tuningJobName());
        for (TrainingJob job : progress.running()) {
            if (!job.isLaunched() || job.stopRequested() || job.status() != TrainingJobStatus.IN_PROGRESS) continue;
            int bracket = schedule.bracketOf(job.ordinal());
            SuccessiveHalvingRule rule = new SuccessiveHalvingRule(schedule, bracket);
            List<List<Double>> peers = new ArrayList<>();
            for (String peer : byBracket.get(bracket)) if (!peer.equals(job.name())) peers.add(series.get(peer));
            List<Double> own = series.get(job.name());
            int from = Math.max(judgedSteps.getOrDefault(job.name(), 0), promoted.getOrDefault(job.name(), 0)) + 1;
            for (int step = from; step <= own.size(); step++) {
                EarlyStoppingRule.Verdict v = rule.judge(plan.goal(), own.subList(0, step), peers);
                if (v.stop()) {
                    store.recordStopDecision(new StopDecision(job.name(), job.tuningJobName(), StopDecision.Cause.HYPERBAND,
                            step, v.detail(), now()));
                    LOG.info("hyperband stops {}: {}", job.name(), v.detail());
                    break;
                }
                if (rule.isRung(step)) store.recordPromotion(job.name(), job.tuningJobName(), step, now());
            }
            judgedSteps.put(job.name(), own.size());
        }
        judgedSteps.keySet().removeIf(n -> progress.running().stream().noneMatch(j -> j.name().equals(n)));
    }

    void forget(String tuningJobName) {
        String prefix = tuningJobName + "-";
        finishedSeries.keySet().removeIf(n -> n.startsWith(prefix));
    }


    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
