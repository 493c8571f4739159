package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.protocol.json.Json;
import dev.vernier.service.controller.PlanReader;

/** Reads the SageMaker documents the store keeps (Create requests, training-job definitions) into plans. */
public final class StoredRequests implements PlanReader {
    @Override
    public TuningPlan plan(TuningJob job) {
        return TuningPlans.from(job.name(), Json.parseObject(job.spec()));
    }

    @Override
    public TuningPlan.DefinitionPlan definition(TrainingJob job) {
        JsonNode d = Json.parseObject(job.definition());
        return TuningPlans.definition(job.definitionName(), d, d.path("TuningObjective"));
    }
}
