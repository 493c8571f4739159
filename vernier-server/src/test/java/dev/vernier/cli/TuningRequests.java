package dev.vernier.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CreateHyperParameterTuningJob bodies for CLI tests: the test programs, loss = 1000 (lr - 0.05)^2 + 1/epoch. */
final class TuningRequests {
    private TuningRequests() {}

    static String json(String name, String image, int maxJobs, int maxParallel, String sleepSeconds) {
        return """
                {
                  "HyperParameterTuningJobName": "%s",
                  "HyperParameterTuningJobConfig": {
                    "Strategy": "Random",
                    "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
                    "ResourceLimits": {"MaxNumberOfTrainingJobs": %d, "MaxParallelTrainingJobs": %d},
                    "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1"}]}
                  },
                  "TrainingJobDefinition": {
                    "AlgorithmSpecification": {
                      "TrainingImage": "%s",
                      "TrainingInputMode": "File",
                      "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.eE+-]+)"}]
                    },
                    "Environment": {"SLEEP_SECONDS": "%s", "EPOCHS": "2"},
                    "RoleArn": "arn:aws:iam::123456789012:role/vernier",
                    "OutputDataConfig": {"S3OutputPath": "s3://bucket/output"},
                    "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
                    "StoppingCondition": {"MaxRuntimeInSeconds": 120}
                  }
                }
                """.formatted(name, maxJobs, maxParallel, image, sleepSeconds);
    }

    static Path file(Path dir, String name, String image, int maxJobs, int maxParallel, String sleepSeconds) {
        try {
            Path file = dir.resolve(name + ".json");
            Files.writeString(file, json(name, image, maxJobs, maxParallel, sleepSeconds));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
