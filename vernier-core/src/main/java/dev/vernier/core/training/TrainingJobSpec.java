package dev.vernier.core.training;

import dev.vernier.core.metrics.MetricDefinition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a backend needs to run one training job, already resolved by the controller
 * (static and tuned hyperparameters merged, all values strings).
 *
 * @param tuningJobName        the tuning job that launched it, or null
 * @param trainingImage        AlgorithmSpecification.TrainingImage ({@code file:///abs/program} or a mapped name)
 * @param trainingInputMode    AlgorithmSpecification.TrainingInputMode: File, Pipe or FastFile
 * @param s3OutputPath         OutputDataConfig.S3OutputPath; artifacts go to {@code <it>/<job>/output/}
 * @param maxRuntimeInSeconds  StoppingCondition.MaxRuntimeInSeconds
 */
public record TrainingJobSpec(
        String trainingJobName,
        String trainingJobArn,
        String tuningJobName,
        String trainingImage,
        String trainingInputMode,
        Map<String, String> hyperParameters,
        Map<String, String> environment,
        List<MetricDefinition> metricDefinitions,
        List<InputChannel> inputChannels,
        String s3OutputPath,
        Resources resources,
        long maxRuntimeInSeconds,
        boolean enableNetworkIsolation) {

    /** ResourceConfig. The local backend runs one process whatever the type; see {@code LocalTrainingBackend}. */
    public record Resources(String instanceType, int instanceCount, int volumeSizeInGb) {
        public Resources {
            if (instanceCount < 1) throw new IllegalArgumentException("instanceCount must be at least 1");
        }
    }

    public TrainingJobSpec {
        Objects.requireNonNull(trainingJobName, "trainingJobName");
        Objects.requireNonNull(trainingJobArn, "trainingJobArn");
        Objects.requireNonNull(trainingImage, "trainingImage");
        Objects.requireNonNull(s3OutputPath, "s3OutputPath");
        Objects.requireNonNull(resources, "resources");
        if (trainingInputMode == null) trainingInputMode = "File";
        hyperParameters = Map.copyOf(hyperParameters == null ? Map.of() : hyperParameters);
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        metricDefinitions = List.copyOf(metricDefinitions == null ? List.of() : metricDefinitions);
        inputChannels = List.copyOf(inputChannels == null ? List.of() : inputChannels);
        if (maxRuntimeInSeconds < 1) throw new IllegalArgumentException("maxRuntimeInSeconds must be positive");
    }

    /** Where the model artifact of this job goes: {@code <S3OutputPath>/<job>/output/model.tar.gz}. */
    public String modelArtifactUri() {
        return outputPrefix() + "model.tar.gz";
    }

    /** {@code <S3OutputPath>/<job>/output/}, with exactly one '/' between the parts. */
    public String outputPrefix() {
        return s3OutputPath.replaceAll("/+$", "") + "/" + trainingJobName + "/output/";
    }
}
