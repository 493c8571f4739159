package dev.vernier.service.controller;

import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningPlan;

/**
 * Reads the request documents the store keeps (a tuning job's Create request, the definition each
 * training job ran with) into the domain's plans. The documents are the protocol's business; the
 * service only ever sees the plans, and parses each document once per process.
 */
public interface PlanReader {
    TuningPlan plan(TuningJob job);

    /** The definition a training job runs with, also when its tuning job has since been deleted. */
    TuningPlan.DefinitionPlan definition(TrainingJob job);
}
