package dev.vernier.core.tuning.reconcile;

import dev.vernier.core.strategy.Observation;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link Reconciler#decide} looks at for one tuning job on one pass.
 *
 * @param warmStart        the warm-start parents' jobs as observations, before the job's own
 * @param objectiveSeries  by training-job name, the objective values each launched job has logged so
 *                         far; needed only when a stopping rule applies (early stopping, Hyperband)
 * @param promotions       by training-job name, the highest Hyperband rung it was promoted at
 * @param judgedSteps      by training-job name, how many steps of a running job the stopping rule has
 *                         already judged (the controller's memory between passes; empty after a restart)
 * @param freeSlots        training jobs this server may still start in this pass, across tuning jobs
 */
public record TuningState(TuningJob job, TuningPlan plan, TuningProgress progress, List<Observation> warmStart,
                          Map<String, List<Double>> objectiveSeries, Map<String, Integer> promotions,
                          Map<String, Integer> judgedSteps, int freeSlots, Instant now) {
    public TuningState {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(now, "now");
        warmStart = List.copyOf(warmStart);
        objectiveSeries = Map.copyOf(objectiveSeries);
        promotions = Map.copyOf(promotions);
        judgedSteps = Map.copyOf(judgedSteps);
    }
}
