package dev.vernier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both skeletons, byte for byte as the AWS CLI v1 prints them: the golden files come from botocore's
 * own ArgumentGenerator (tools/golden-skeletons.py), with enum values fixed to the first.
 */
class SkeletonGoldenTest {
    @TempDir
    Path home;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "create-hyper-parameter-tuning-job|--hyper-parameter-tuning-job-name j --hyper-parameter-tuning-job-config "
                    + "{\"Strategy\":\"Random\",\"ResourceLimits\":{\"MaxParallelTrainingJobs\":1}}",
            "describe-hyper-parameter-tuning-job|--hyper-parameter-tuning-job-name j",
            "list-training-jobs-for-hyper-parameter-tuning-job|--hyper-parameter-tuning-job-name j",
            "describe-training-job|--training-job-name t",
            "list-tags|--resource-arn arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/j",
            "delete-tags|--resource-arn arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/j --tag-keys a",
            "stop-training-job|--training-job-name t"})
    void inputAndOutputSkeletonsMatchTheAwsCli(String command, String requiredArgs) throws IOException {
        Cli cli = Cli.withoutCredentials(home);
        Cli.Result input = cli.run(command, "--generate-cli-skeleton");
        assertThat(input.exitCode()).as(input.toString()).isZero();
        assertThat(input.stdout()).isEqualTo(golden(command + ".input.json"));

        String[] args = (command + " " + requiredArgs + " --generate-cli-skeleton output").split(" ");
        Cli.Result output = cli.run(args);
        assertThat(output.exitCode()).as(output.toString()).isZero();
        assertThat(output.stdout()).isEqualTo(golden(command + ".output.json"));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = SkeletonGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
