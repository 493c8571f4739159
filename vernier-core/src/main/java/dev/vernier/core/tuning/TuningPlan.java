package dev.vernier.core.tuning;

import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.strategy.Goal;
import java.util.List;
import java.util.Map;

/**
 * What the controller needs of a tuning job, read once from its stored request: the domain's view
 * (search space, goal, limits, strategy, seed) and how to launch each definition.
 *
 * @param seed        RandomSeed, or a seed derived from the job's name so that a restart continues
 *                    the same sequence
 * @param maxRuntimeInSeconds ResourceLimits.MaxRuntimeInSeconds, 0 when not given
 * @param earlyStopping TrainingJobEarlyStoppingType is Auto
 * @param warmStart   the parents to learn from, or null
 * @param hyperband   Hyperband's brackets and rungs, null for other strategies
 * @param maxRetries  how many times a training job that failed for an internal reason is retried
 *                    (RetryStrategy.MaximumRetryAttempts, else {@link #DEFAULT_INTERNAL_RETRIES})
 */
public record TuningPlan(
        String tuningJobName,
        String strategy,
        Goal goal,
        int maxTrainingJobs,
        int maxParallelTrainingJobs,
        long seed,
        SearchSpace space,
        Map<String, DefinitionPlan> definitions,
        dev.vernier.core.completion.CompletionCriteria completion,
        long maxRuntimeInSeconds,
        boolean earlyStopping,
        WarmStart warmStart,
        dev.vernier.core.strategy.hyperband.HyperbandSchedule hyperband) {

    /** Internal errors are retried this often when no RetryStrategy says otherwise. */
    public static final int DEFAULT_INTERNAL_RETRIES = 2;

    /** Key of the one definition of a job with the singular TrainingJobDefinition. */
    public static final String SINGLE = "";

    /** The seed of a tuning job without RandomSeed: from its name (FNV-1a), so that it proposes reproducibly. */
    public static long defaultSeed(String tuningJobName) {
        long h = 0xcbf29ce484222325L;
        for (byte b : tuningJobName.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    public DefinitionPlan definition(String definitionName) {
        return definitions.get(definitionName == null ? SINGLE : definitionName);
    }

    /** WarmStartConfig: the parent tuning jobs, and whether data and algorithm are identical. */
    public record WarmStart(List<String> parents, boolean identicalDataAndAlgorithm) {
        public WarmStart {
            parents = List.copyOf(parents);
        }
    }

    /**
     * One training-job definition.
     *
     * @param document  the definition as each of its training jobs stores it, with the objective it is
     *                  tuned for: the protocol's document, echoed by DescribeTrainingJob, opaque here
     */
    public record DefinitionPlan(
            String name,
            String objectiveMetric,
            Goal goal,
            Map<String, String> staticHyperParameters,
            String trainingImage,
            String trainingInputMode,
            List<dev.vernier.core.metrics.MetricDefinition> metricDefinitions,
            List<dev.vernier.core.training.InputChannel> inputChannels,
            String s3OutputPath,
            dev.vernier.core.training.TrainingJobSpec.Resources resources,
            long maxRuntimeInSeconds,
            boolean enableNetworkIsolation,
            Map<String, String> environment,
            int maxRetries,
            String document,
            String checkpointS3Uri,
            String checkpointLocalPath) {

        /** A definition without CheckpointConfig. */
        public DefinitionPlan(String name, String objectiveMetric, Goal goal, Map<String, String> staticHyperParameters,
                              String trainingImage, String trainingInputMode,
                              List<dev.vernier.core.metrics.MetricDefinition> metricDefinitions,
                              List<dev.vernier.core.training.InputChannel> inputChannels, String s3OutputPath,
                              dev.vernier.core.training.TrainingJobSpec.Resources resources, long maxRuntimeInSeconds,
                              boolean enableNetworkIsolation, Map<String, String> environment, int maxRetries, String document) {
            this(name, objectiveMetric, goal, staticHyperParameters, trainingImage, trainingInputMode, metricDefinitions,
                    inputChannels, s3OutputPath, resources, maxRuntimeInSeconds, enableNetworkIsolation, environment,
                    maxRetries, document, null, null);
        }

        /** This definition's checkpoints for one job, or null without CheckpointConfig. */
        public dev.vernier.core.training.TrainingJobSpec.Checkpoints checkpointsFor(String jobName, String retryOf) {
            return checkpointS3Uri == null ? null : dev.vernier.core.training.TrainingJobSpec.Checkpoints.of(
                    checkpointS3Uri, checkpointLocalPath, jobName, retryOf);
        }
    }
}
