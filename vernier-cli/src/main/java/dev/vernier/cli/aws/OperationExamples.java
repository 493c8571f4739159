package dev.vernier.cli.aws;

import java.util.Map;

/** One example per operation, for its --help. */
final class OperationExamples {
    private static final Map<String, String> EXAMPLES = Map.ofEntries(
            Map.entry("CreateHyperParameterTuningJob", "vernier create-hyper-parameter-tuning-job --cli-input-json file://tuning-job.json --hyper-parameter-tuning-job-name my-job"),
            Map.entry("DescribeHyperParameterTuningJob", "vernier describe-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name my-job --query BestTrainingJob"),
            Map.entry("ListHyperParameterTuningJobs", "vernier list-hyper-parameter-tuning-jobs --status-equals InProgress --output table"),
            Map.entry("StopHyperParameterTuningJob", "vernier stop-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name my-job"),
            Map.entry("DeleteHyperParameterTuningJob", "vernier delete-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name my-job"),
            Map.entry("DescribeTrainingJob", "vernier describe-training-job --training-job-name my-job-001-1a2b3c4d --query FinalMetricDataList"),
            Map.entry("ListTrainingJobs", "vernier list-training-jobs --name-contains my-job --sort-by CreationTime --output text"),
            Map.entry("ListTrainingJobsForHyperParameterTuningJob", "vernier list-training-jobs-for-hyper-parameter-tuning-job "
                    + "--hyper-parameter-tuning-job-name my-job --sort-by FinalObjectiveMetricValue --query 'TrainingJobSummaries[0]'"),
            Map.entry("StopTrainingJob", "vernier stop-training-job --training-job-name my-job-001-1a2b3c4d"),
            Map.entry("AddTags", "vernier add-tags --resource-arn ARN --tags Key=team,Value=vision Key=stage,Value=dev"),
            Map.entry("ListTags", "vernier list-tags --resource-arn ARN --output table"),
            Map.entry("DeleteTags", "vernier delete-tags --resource-arn ARN --tag-keys team stage"));

    private OperationExamples() {}

    static String example(String operation) {
        return EXAMPLES.getOrDefault(operation, "vernier " + CliNames.hyphenate(operation) + " --generate-cli-skeleton");
    }
}
