package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.protocol.json.Json;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The warm-start rules that need the store (model documentation of WarmStartType): a parent must
 * exist and be terminal, have one training-job definition, the same objective metric and type,
 * and the same total number of static plus tunable hyperparameters (a hyperparameter may move
 * between static and tunable). IdenticalDataAndAlgorithm also needs the same TrainingImage and
 * InputDataConfig; TransferLearning allows both to change. {@code _tuning_objective_metric}, which
 * Vernier adds to every training job, is not counted.
 */
public final class WarmStartParents implements TuningJobRequestRules.Checks {
    private final Function<String, Optional<TuningJob>> tuningJobs;

    /** @param tuningJobs the stored tuning job of a name, if any */
    public WarmStartParents(Function<String, Optional<TuningJob>> tuningJobs) {
        this.tuningJobs = tuningJobs;
    }

    @Override
    public Optional<String> checkWarmStartParent(String tuningJobName, ObjectNode childRequest) {
        Optional<TuningJob> found = tuningJobs.apply(tuningJobName);
        if (found.isEmpty()) return Optional.of("Parent tuning job " + tuningJobName + " does not exist");
        TuningJob parent = found.get();
        if (!parent.status().isTerminal())
            return Optional.of("Parent tuning job " + parent.name() + " is " + parent.status().apiName()
                    + "; a parent must be Completed, Stopped or Failed");
        ObjectNode parentSpec = Json.parseObject(parent.spec());
        if (!parentSpec.has("TrainingJobDefinition") || !childRequest.has("TrainingJobDefinition"))
            return Optional.of("Warm start needs a single TrainingJobDefinition in the parent and the new job");
        TuningPlan p = TuningPlans.from(parent.name(), parentSpec);
        TuningPlan c = TuningPlans.from(childRequest.path("HyperParameterTuningJobName").asText(), childRequest);
        TuningPlan.DefinitionPlan pd = p.definition(TuningPlan.SINGLE);
        TuningPlan.DefinitionPlan cd = c.definition(TuningPlan.SINGLE);
        if (!pd.objectiveMetric().equals(cd.objectiveMetric()) || pd.goal() != cd.goal())
            return Optional.of("Parent tuning job " + parent.name() + " has the objective " + pd.goal() + " "
                    + pd.objectiveMetric() + "; the new job must have the same objective");
        int parentCount = hyperparameterNames(p, pd).size();
        int childCount = hyperparameterNames(c, cd).size();
        if (parentCount != childCount)
            return Optional.of("Parent tuning job " + parent.name() + " has " + parentCount + " static plus tunable "
                    + "hyperparameters and the new job " + childCount + "; the total must stay the same");
        boolean identical = childRequest.path("WarmStartConfig").path("WarmStartType").asText().equals("IdenticalDataAndAlgorithm");
        if (identical && !pd.trainingImage().equals(cd.trainingImage()))
            return Optional.of("IdenticalDataAndAlgorithm needs the parent's TrainingImage " + pd.trainingImage()
                    + "; use TransferLearning for another image");
        if (identical && !parentSpec.path("TrainingJobDefinition").path("InputDataConfig")
                .equals(childRequest.path("TrainingJobDefinition").path("InputDataConfig")))
            return Optional.of("IdenticalDataAndAlgorithm needs the parent's InputDataConfig; use TransferLearning for other data");
        return Optional.empty();
    }

    private static Set<String> hyperparameterNames(TuningPlan plan, TuningPlan.DefinitionPlan d) {
        Set<String> names = new HashSet<>(d.staticHyperParameters().keySet());
        for (Parameter parameter : plan.space().subspace(null).parameters()) names.add(parameter.name());
        names.remove("_tuning_objective_metric");
        return names;
    }
}
