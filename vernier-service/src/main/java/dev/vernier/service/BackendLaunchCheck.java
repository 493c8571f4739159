package dev.vernier.service;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.core.tuning.TuningPlan;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the training backend, at Create time, whether it can run each definition (image, channels,
 * output location, instance count, network isolation), so that a job that could never run is
 * refused as an invalid request instead of failing later. Then asks the object store whether each
 * channel's location holds any object: SageMaker refuses a channel that matches nothing ("No S3
 * objects found under S3 URL ...") rather than starting a program with an empty directory.
 */
public final class BackendLaunchCheck implements TuningJobService.LaunchCheck {
    private final TrainingBackend backend;
    private final ObjectStore objectStore;

    /** @param objectStore where channels are staged from, or null to leave their contents to staging */
    public BackendLaunchCheck(TrainingBackend backend, ObjectStore objectStore) {
        this.backend = backend;
        this.objectStore = objectStore;
    }

    public BackendLaunchCheck(TrainingBackend backend) {
        this(backend, null);
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
                continue;
            } catch (IllegalArgumentException e) {
                // a location or image that is no path at all (a NUL, a malformed URI): the request's fault
                problems.add("Value at '" + where + "' failed to satisfy constraint: not a usable location or image: "
                        + e.getMessage());
                continue;
            }
            for (InputChannel c : d.inputChannels()) emptyChannel(where, c).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) throw ServiceException.invalid(problems);
    }

    /** SageMaker's refusal of a channel whose location holds no object, when the object store can tell. */
    private java.util.Optional<String> emptyChannel(String where, InputChannel c) {
        if (objectStore == null) return java.util.Optional.empty();
        try {
            if (objectStore.hasObjects(URI.create(c.s3Uri()))) return java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.of("Cannot list the objects under \"" + c.s3Uri() + "\" given in input data "
                    + "source of channel '" + c.name() + "' at '" + where + "': " + e.getMessage());
        }
        String kind = c.s3Uri().startsWith("file:") ? "No files found at path" : "No S3 objects found under S3 URL";
        return java.util.Optional.of(kind + " \"" + c.s3Uri() + "\" given in input data source of channel '" + c.name()
                + "' at '" + where + "'. Please ensure that " + (c.s3Uri().startsWith("file:")
                ? "files exist under that path and are readable by the server."
                : "the bucket exists and that objects exist under that S3 prefix."));
    }
}
