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
        boolean enableNetworkIsolation,
        Checkpoints checkpoints) {

    /** A job without CheckpointConfig. */
    public TrainingJobSpec(String trainingJobName, String trainingJobArn, String tuningJobName, String trainingImage,
                           String trainingInputMode, Map<String, String> hyperParameters, Map<String, String> environment,
                           List<MetricDefinition> metricDefinitions, List<InputChannel> inputChannels, String s3OutputPath,
                           Resources resources, long maxRuntimeInSeconds, boolean enableNetworkIsolation) {
        this(trainingJobName, trainingJobArn, tuningJobName, trainingImage, trainingInputMode, hyperParameters, environment,
                metricDefinitions, inputChannels, s3OutputPath, resources, maxRuntimeInSeconds, enableNetworkIsolation, null);
    }

    /**
     * CheckpointConfig, resolved for one job: the program's checkpoint directory ({@code localPath},
     * as the program sees it in a container: /opt/ml/checkpoints by default) is filled from
     * {@code restoreFrom} before the program starts and copied to {@code saveTo} while it runs and
     * when it ends.
     */
    public record Checkpoints(String saveTo, String restoreFrom, String localPath) {
        public static final String DEFAULT_LOCAL_PATH = "/opt/ml/checkpoints";

        public Checkpoints {
            Objects.requireNonNull(saveTo, "saveTo");
            Objects.requireNonNull(restoreFrom, "restoreFrom");
            if (localPath == null || localPath.isEmpty()) localPath = DEFAULT_LOCAL_PATH;
        }

        /**
         * A job's checkpoints below CheckpointConfig.S3Uri: its own {@code <S3Uri>/<job>/}, restored from the
         * job it retries ({@code <S3Uri>/<retried job>/}), or from its own after a relaunch.
         */
        public static Checkpoints of(String s3Uri, String localPath, String jobName, String retryOf) {
            String base = s3Uri.replaceAll("/+$", "") + "/";
            return new Checkpoints(base + jobName + "/", base + (retryOf != null ? retryOf : jobName) + "/", localPath);
        }
    }

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
