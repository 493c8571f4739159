package dev.vernier.training.jobdir;

import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import java.util.List;
import java.util.Map;

/** Job specs for the unit tests of the contract. */
final class Specs {
    private Specs() {}

    static TrainingJobSpec spec(Map<String, String> hyperParameters, Map<String, String> environment,
                                InputChannel... channels) {
        return new TrainingJobSpec("job-1", "arn:aws:sagemaker:us-east-1:123456789012:training-job/job-1", "tuning",
                "file:///bin/true", "File", hyperParameters, environment, List.of(), List.of(channels),
                "s3://models/out", new TrainingJobSpec.Resources("ml.m5.large", 1, 10), 60, false);
    }
}
