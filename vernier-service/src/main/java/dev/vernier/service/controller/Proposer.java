package dev.vernier.service.controller;

import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.reconcile.NewTrainingJob;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the training jobs the reconciler decided to start into records to store: names as SageMaker
 * names them ({@code <tuning-job>-<NNN>-<8 hex>}), static and tuned hyperparameters merged, and the
 * definition document each runs with.
 */
final class Proposer {
    private final ResourceNames names;
    private final SecureRandom random = new SecureRandom();

    Proposer(ResourceNames names) {
        this.names = names;
    }

    TrainingJob job(TuningPlan plan, NewTrainingJob decided, Instant now) {
        TuningPlan.DefinitionPlan d = plan.definition(decided.definitionName());
        Map<String, String> hyperParameters = new LinkedHashMap<>(d.staticHyperParameters());
        hyperParameters.putAll(decided.tunedHyperParameters());
        // SageMaker tells every training job of a tuning job which metric is the objective
        hyperParameters.put("_tuning_objective_metric", d.objectiveMetric());
        String number = Integer.toString(decided.ordinal());
        String name = plan.tuningJobName() + "-" + "0".repeat(Math.max(0, 3 - number.length())) + number + "-"
                + HexFormat.of().toHexDigits(random.nextInt());
        return TrainingJob.starting(name, names.trainingJobArn(name), plan.tuningJobName(), decided.ordinal(),
                decided.definitionName(), hyperParameters, decided.tunedHyperParameters(), decided.retryOf(),
                d.document(), now);
    }
}
