package dev.vernier.service;

import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.core.tuning.TuningPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the training backend, at Create time, whether it can run each definition (image, channels,
 * output location, instance count, network isolation), so that a job that could never run is
 * refused as an invalid request instead of failing later.
 */
public final class BackendLaunchCheck implements TuningJobService.LaunchCheck {
    private final TrainingBackend backend;

    public BackendLaunchCheck(TrainingBackend backend) {
        this.backend = backend;
    }

    @Override
    public void check(TuningPlan plan) {
        List<String> problems = new ArrayList<>();
        for (TuningPlan.DefinitionPlan d : plan.definitions().values()) {
            String where = d.name() == null ? "trainingJobDefinition" : "trainingJobDefinitions[" + d.name() + "]";
            try {
                backend.check(new TrainingJobSpec(plan.tuningJobName() + "-check", "arn:check", plan.tuningJobName(),
                        d.trainingImage(), d.trainingInputMode(), d.staticHyperParameters(), d.environment(),
                        d.metricDefinitions(), d.inputChannels(), d.s3OutputPath(), d.resources(),
                        d.maxRuntimeInSeconds(), d.enableNetworkIsolation(),
                        d.checkpointsFor(plan.tuningJobName() + "-check", null)));
            } catch (UnsupportedTrainingFeatureException e) {
                problems.add("Value at '" + where + "' failed to satisfy constraint: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                // a location or image that is no path at all (a NUL, a malformed URI): the request's fault
                problems.add("Value at '" + where + "' failed to satisfy constraint: not a usable location or image: "
                        + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw ServiceException.invalid(problems);
    }
}
