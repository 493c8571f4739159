package dev.vernier.core.tuning.reconcile;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.space.Value;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A tuning job's training jobs as its strategy sees them: configurations and how they ended. */
public final class History {
    private History() {}

    /** The strategy's view of the jobs so far: superseded (retried) jobs are left out, their retries stand in. */
    public static List<Observation> observations(TuningPlan plan, List<TrainingJob> jobs, Set<String> leaveOut) {
        List<Observation> out = new ArrayList<>();
        for (TrainingJob j : jobs) {
            if (leaveOut.contains(j.name())) continue;
            Configuration c = configuration(plan, j);
            if (j.isRunning()) out.add(Observation.pending(c));
            else if (j.objectiveStatus() == ObjectiveStatus.SUCCEEDED) out.add(Observation.succeeded(c, j.objectiveValue()));
            else out.add(Observation.failed(c));
        }
        return out;
    }

    /** Reads a job's tuned hyperparameters back into values of its subspace. */
    public static Configuration configuration(TuningPlan plan, TrainingJob job) {
        return configuration(plan, job.definitionName(), job.tunedHyperParameters());
    }

    static Configuration configuration(TuningPlan plan, String definitionName, Map<String, String> tuned) {
        Subspace subspace = plan.space().subspace(definitionName);
        Map<String, Value> values = new LinkedHashMap<>();
        for (Parameter p : subspace.parameters()) {
            String text = tuned.get(p.name());
            if (text == null) continue;
            values.put(p.name(), switch (p) {
                case ContinuousParameter c -> new Value.Real(Double.parseDouble(text));
                case IntegerParameter i -> new Value.Int(Long.parseLong(text));
                case CategoricalParameter k -> new Value.Choice(text);
            });
        }
        return new Configuration(definitionName, values);
    }
}
