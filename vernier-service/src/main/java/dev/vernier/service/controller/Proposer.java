package dev.vernier.service.controller;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.space.Value;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategy.Strategies;
import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.tuning.ObjectiveStatus;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningPlan;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a strategy's proposals into training jobs to store: names, merged hyperparameters and the
 * definition each runs with. Also renders stored jobs back as the strategy's observations.
 */
final class Proposer {
    private final ResourceNames names;
    private final SecureRandom random = new SecureRandom();

    Proposer(ResourceNames names) {
        this.names = names;
    }

    /** Asks the plan's strategy for up to {@code count} configurations. */
    Proposal propose(TuningPlan plan, List<Observation> observations, String state, int count) {
        Strategy strategy = Strategies.forName(plan.strategy());
        return strategy.propose(new ProposalRequest(plan.space(), plan.goal(), observations, state, plan.seed(), count));
    }

    /** The strategy's view of the jobs so far: superseded (retried) jobs are left out, their retries stand in. */
    List<Observation> observations(TuningPlan plan, List<TrainingJob> jobs, java.util.Set<String> leaveOut) {
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

    TrainingJob newJob(TuningPlan plan, Configuration c, int ordinal, Instant now) {
        Map<String, String> tuned = c.asHyperparameters();
        return job(plan, c.definitionName(), tuned, ordinal, null, now);
    }

    TrainingJob retry(TuningPlan plan, TrainingJob failed, int ordinal, Instant now) {
        return job(plan, failed.definitionName(), failed.tunedHyperParameters(), ordinal, failed.name(), now);
    }

    private TrainingJob job(TuningPlan plan, String definitionName, Map<String, String> tuned, int ordinal,
                                  String retryOf, Instant now) {
        TuningPlan.DefinitionPlan d = plan.definition(definitionName);
        Map<String, String> hyperParameters = new LinkedHashMap<>(d.staticHyperParameters());
        hyperParameters.putAll(tuned);
        // SageMaker tells every training job of a tuning job which metric is the objective
        hyperParameters.put("_tuning_objective_metric", d.objectiveMetric());
        String number = Integer.toString(ordinal);
        String name = plan.tuningJobName() + "-" + "0".repeat(Math.max(0, 3 - number.length())) + number + "-"
                + HexFormat.of().toHexDigits(random.nextInt());
        return TrainingJob.starting(name, names.trainingJobArn(name), plan.tuningJobName(), ordinal, definitionName,
                hyperParameters, tuned, retryOf, d.document(), now);
    }

    /** Reads a job's tuned hyperparameters back into values of its subspace. */
    static Configuration configuration(TuningPlan plan, TrainingJob job) {
        Subspace subspace = plan.space().subspace(job.definitionName());
        Map<String, Value> values = new LinkedHashMap<>();
        for (Parameter p : subspace.parameters()) {
            String text = job.tunedHyperParameters().get(p.name());
            if (text == null) continue;
            values.put(p.name(), switch (p) {
                case ContinuousParameter c -> new Value.Real(Double.parseDouble(text));
                case IntegerParameter i -> new Value.Int(Long.parseLong(text));
                case CategoricalParameter k -> new Value.Choice(text);
            });
        }
        return new Configuration(job.definitionName(), values);
    }
}
