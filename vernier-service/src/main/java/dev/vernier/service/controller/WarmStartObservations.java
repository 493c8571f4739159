package dev.vernier.service.controller;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.space.Value;
import dev.vernier.core.store.Store;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningPlan;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The warm-start parents' finished training jobs as observations in the new job's search space,
 * placed before the job's own history. The mapping rule:
 * <ul>
 *   <li>each of the new job's tunable hyperparameters is read from the parent job's hyperparameters,
 *       static or tuned (a hyperparameter may have moved between the two);</li>
 *   <li>a job whose value lies outside the new range (or is not one of the new categorical values),
 *       or that lacks one of the tunable hyperparameters, is dropped rather than clamped: a clamped
 *       point would credit the boundary with an objective measured elsewhere;</li>
 *   <li>IdenticalDataAndAlgorithm: a job is dropped when its value of a hyperparameter that is static
 *       in the new job differs, since it measured another function; TransferLearning keeps it, as its
 *       data or image may differ anyway and the parents only inform the search.</li>
 * </ul>
 * Only jobs with an objective are used. Parents are terminal, so their observations are read once.
 */
final class WarmStartObservations {
    private final Store store;
    private final Map<String, List<Observation>> byTuningJob = new ConcurrentHashMap<>();

    WarmStartObservations(Store store) {
        this.store = store;
    }

    List<Observation> of(TuningPlan plan) {
        if (plan.warmStart() == null) return List.of();
        return byTuningJob.computeIfAbsent(plan.tuningJobName(), n -> load(plan));
    }

    void forget(String tuningJobName) {
        byTuningJob.remove(tuningJobName);
    }

    private List<Observation> load(TuningPlan plan) {
        List<Observation> out = new ArrayList<>();
        for (String parent : plan.warmStart().parents())
            for (TrainingJob job : store.trainingJobsOf(parent))
                if (job.objectiveStatus() == ObjectiveStatus.SUCCEEDED)
                    map(plan, job.hyperParameters(), plan.warmStart().identicalDataAndAlgorithm())
                            .ifPresent(c -> out.add(Observation.succeeded(c, job.objectiveValue())));
        return List.copyOf(out);
    }

    /** A parent job's hyperparameters as a configuration of the new job's space, or empty when dropped. */
    static Optional<Configuration> map(TuningPlan plan, Map<String, String> hyperParameters, boolean identical) {
        TuningPlan.DefinitionPlan d = plan.definition(TuningPlan.SINGLE);
        if (identical) {
            for (Map.Entry<String, String> s : d.staticHyperParameters().entrySet()) {
                String theirs = hyperParameters.get(s.getKey());
                if (theirs != null && !theirs.equals(s.getValue())) return Optional.empty();
            }
        }
        Map<String, Value> values = new LinkedHashMap<>();
        for (Parameter p : plan.space().subspace(null).parameters()) {
            String text = hyperParameters.get(p.name());
            if (text == null) return Optional.empty();
            Optional<Value> v = value(p, text);
            if (v.isEmpty()) return Optional.empty();
            values.put(p.name(), v.get());
        }
        return Optional.of(new Configuration(null, values));
    }

    private static Optional<Value> value(Parameter p, String text) {
        try {
            return switch (p) {
                case ContinuousParameter c -> {
                    double x = Double.parseDouble(text);
                    yield x >= c.min() && x <= c.max() ? Optional.of(new Value.Real(x)) : Optional.empty();
                }
                case IntegerParameter i -> {
                    BigDecimal x = new BigDecimal(text);
                    if (x.stripTrailingZeros().scale() > 0) yield Optional.empty();
                    long n = x.longValueExact();
                    yield n >= i.min() && n <= i.max() ? Optional.of(new Value.Int(n)) : Optional.empty();
                }
                case CategoricalParameter k -> k.values().contains(text) ? Optional.of(new Value.Choice(text)) : Optional.empty();
            };
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
