package dev.vernier.core.tuning.reconcile;

import dev.vernier.core.earlystopping.EarlyStoppingRule;
import dev.vernier.core.earlystopping.MedianStoppingRule;
import dev.vernier.core.strategy.hyperband.HyperbandSchedule;
import dev.vernier.core.strategy.hyperband.SuccessiveHalvingRule;
import dev.vernier.core.tuning.JobDecision;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a tuning job's running training jobs with its stopping rule, at every objective data point
 * each reported since the last pass (a job is judged at a step once):
 * <ul>
 *   <li>{@code TrainingJobEarlyStoppingType: Auto}: {@link MedianStoppingRule} against the series of
 *       the tuning job's Completed jobs (stopped jobs have truncated series and are no reference);</li>
 *   <li>Hyperband: {@link SuccessiveHalvingRule} against the other launched jobs of the same bracket,
 *       running or finished; a job that passes a rung is promoted, and after a restart it is judged
 *       only above its highest stored promotion.</li>
 * </ul>
 * A stop becomes a {@link JobDecision} that the controller stores together with the stop request.
 */
final class RunningJobReview {
    private RunningJobReview() {}

    record Result(List<JobDecision> decisions, Map<String, Integer> judgedSteps) {}

    /** One rule and the peers it compares a job with. */
    private interface Judge {
        EarlyStoppingRule rule(TrainingJob job);

        List<List<Double>> peers(TrainingJob job);
    }

    static Result review(TuningState s) {
        TuningPlan plan = s.plan();
        if (!plan.earlyStopping() && plan.hyperband() == null) return new Result(List.of(), Map.of());
        Judge judge = plan.hyperband() != null ? hyperband(s) : median(s);
        Map<String, Integer> judged = new HashMap<>();
        List<JobDecision> decisions = new ArrayList<>();
        for (TrainingJob job : s.progress().running()) {
            Integer before = s.judgedSteps().get(job.name());
            if (!job.isLaunched() || job.stopRequested() || job.status() != TrainingJobStatus.IN_PROGRESS) {
                if (before != null) judged.put(job.name(), before);
                continue;
            }
            List<Double> own = s.objectiveSeries().getOrDefault(job.name(), List.of());
            EarlyStoppingRule rule = judge.rule(job);
            SuccessiveHalvingRule rungs = rule instanceof SuccessiveHalvingRule h ? h : null;
            List<List<Double>> peers = judge.peers(job);
            int from = Math.max(before == null ? 0 : before, s.promotions().getOrDefault(job.name(), 0)) + 1;
            for (int step = from; step <= own.size(); step++) {
                EarlyStoppingRule.Verdict v = rule.judge(plan.goal(), own.subList(0, step), peers);
                if (v.stop()) {
                    decisions.add(new JobDecision(job.name(), job.tuningJobName(), rungs != null
                            ? JobDecision.Kind.HYPERBAND_STOP : JobDecision.Kind.EARLY_STOPPING, step, v.detail(), s.now()));
                    break;
                }
                if (rungs != null && rungs.isRung(step))
                    decisions.add(new JobDecision(job.name(), job.tuningJobName(), JobDecision.Kind.PROMOTION, step, "", s.now()));
            }
            judged.put(job.name(), own.size());
        }
        return new Result(decisions, judged);
    }

    private static Judge median(TuningState s) {
        MedianStoppingRule rule = MedianStoppingRule.defaults();
        List<List<Double>> completed = new ArrayList<>();
        for (TrainingJob j : s.progress().jobs())
            if (j.status() == TrainingJobStatus.COMPLETED) completed.add(s.objectiveSeries().getOrDefault(j.name(), List.of()));
        return new Judge() {
            public EarlyStoppingRule rule(TrainingJob job) {
                return rule;
            }

            public List<List<Double>> peers(TrainingJob job) {
                return completed;
            }
        };
    }

    private static Judge hyperband(TuningState s) {
        HyperbandSchedule schedule = s.plan().hyperband();
        Map<Integer, List<TrainingJob>> byBracket = new HashMap<>();
        for (TrainingJob j : s.progress().jobs())
            if (j.isLaunched() || !j.isRunning())
                byBracket.computeIfAbsent(schedule.bracketOf(j.ordinal()), b -> new ArrayList<>()).add(j);
        return new Judge() {
            public EarlyStoppingRule rule(TrainingJob job) {
                return new SuccessiveHalvingRule(schedule, schedule.bracketOf(job.ordinal()));
            }

            public List<List<Double>> peers(TrainingJob job) {
                List<List<Double>> peers = new ArrayList<>();
                for (TrainingJob peer : byBracket.getOrDefault(schedule.bracketOf(job.ordinal()), List.of()))
                    if (!peer.name().equals(job.name())) peers.add(s.objectiveSeries().getOrDefault(peer.name(), List.of()));
                return peers;
            }
        };
    }
}
