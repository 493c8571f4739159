package dev.vernier.server;

import dev.vernier.testkit.Programs;
import software.amazon.awssdk.services.sagemaker.model.ContinuousParameterRange;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterAlgorithmSpecification;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobDefinition;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobConfig;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobObjective;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobObjectiveType;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStrategyType;
import software.amazon.awssdk.services.sagemaker.model.MetricDefinition;
import software.amazon.awssdk.services.sagemaker.model.OutputDataConfig;
import software.amazon.awssdk.services.sagemaker.model.ParameterRanges;
import software.amazon.awssdk.services.sagemaker.model.ResourceConfig;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimits;
import software.amazon.awssdk.services.sagemaker.model.StoppingCondition;
import software.amazon.awssdk.services.sagemaker.model.TrainingInputMode;
import software.amazon.awssdk.services.sagemaker.model.TrainingInstanceType;

/** Valid requests to start tests from. */
public final class Requests {
    private Requests() {}

    /** A program that sleeps a second, then prints loss = 1000 (lr - 0.05)^2 + 1. */
    public static final String IMAGE = Programs.image("quadratic.sh");

    /** The JSON body of {@code create-minimal.json} with another name and image. */
    public static String createJson(String name, String image) {
        try {
            var request = RoundTripTest.read("create-minimal.json");
            request.put("HyperParameterTuningJobName", name);
            ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("TrainingJobDefinition").get("AlgorithmSpecification"))
                    .put("TrainingImage", image);
            return dev.vernier.protocol.json.Json.write(request);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static CreateHyperParameterTuningJobRequest minimalCreate(String name) {
        return create(name, IMAGE, java.util.Map.of("SLEEP_SECONDS", "1"), 4, 2);
    }

    public static CreateHyperParameterTuningJobRequest create(String name, String image, java.util.Map<String, String> environment,
                                                              int maxJobs, int maxParallel) {
        return CreateHyperParameterTuningJobRequest.builder()
                .hyperParameterTuningJobName(name)
                .hyperParameterTuningJobConfig(HyperParameterTuningJobConfig.builder()
                        .strategy(HyperParameterTuningJobStrategyType.RANDOM)
                        .hyperParameterTuningJobObjective(HyperParameterTuningJobObjective.builder()
                                .type(HyperParameterTuningJobObjectiveType.MINIMIZE).metricName("loss").build())
                        .resourceLimits(ResourceLimits.builder().maxNumberOfTrainingJobs(maxJobs)
                                .maxParallelTrainingJobs(maxParallel).build())
                        .parameterRanges(ParameterRanges.builder().continuousParameterRanges(
                                ContinuousParameterRange.builder().name("lr").minValue("0.001").maxValue("0.1")
                                        .build()).build())
                        .build())
                .trainingJobDefinition(HyperParameterTrainingJobDefinition.builder()
                        .algorithmSpecification(HyperParameterAlgorithmSpecification.builder().trainingImage(image)
                                .trainingInputMode(TrainingInputMode.FILE)
                                .metricDefinitions(MetricDefinition.builder().name("loss")
                                        .regex("loss=([0-9.eE+-]+)").build()).build())
                        .environment(environment)
                        .roleArn("arn:aws:iam::123456789012:role/vernier")
                        .outputDataConfig(OutputDataConfig.builder().s3OutputPath("s3://bucket/output").build())
                        .resourceConfig(ResourceConfig.builder().instanceType(TrainingInstanceType.ML_M5_LARGE)
                                .instanceCount(1).volumeSizeInGB(1).build())
                        .stoppingCondition(StoppingCondition.builder().maxRuntimeInSeconds(60).build())
                        .build())
                .build();
    }
}
