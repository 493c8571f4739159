package dev.vernier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.server.TestServer;
import dev.vernier.server.Waits;
import dev.vernier.testkit.Programs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The aws-sagemaker-style commands, run as a separate process against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/";

    @TempDir
    static Path dir;
    TestServer server;
    Cli cli;
    String endpoint;

    @BeforeAll
    void startServerWithACompletedJob() {
        server = TestServer.start(dir.resolve("server"));
        endpoint = server.endpoint().toString();
        cli = Cli.withTestKey(dir);
        Path request = TuningRequests.file(dir, "from-file", Programs.image("quadratic.sh"), 3, 3, "0");
        Cli.Result created = cli.run("create-hyper-parameter-tuning-job", "--cli-input-json", "file://" + request,
                "--hyper-parameter-tuning-job-name", "done-job", "--endpoint-url", endpoint);
        assertThat(created.exitCode()).as(created.toString()).isZero();
        Waits.terminal(server.client(), "done-job");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Cli.Result run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--endpoint-url";
        all[args.length + 1] = endpoint;
        return cli.run(all);
    }

    @Test
    void createTakesTheCommandLineNameOverTheFilesAndPrintsTheArnAsJson() throws IOException {
        Cli.Result describe = run("describe-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "done-job");
        assertThat(describe.exitCode()).as(describe.toString()).isZero();
        JsonNode job = JSON.readTree(describe.stdout());
        assertThat(job.path("HyperParameterTuningJobStatus").asText()).isEqualTo("Completed");
        assertThat(job.path("TrainingJobStatusCounters").path("Completed").asInt()).isEqualTo(3);
        assertThat(describe.stdout()).startsWith("{\n    \"HyperParameterTuningJobName\": \"done-job\",\n");
        assertThat(job.path("CreationTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?[+-]\\d\\d:\\d\\d");
        assertThat(server.client().listHyperParameterTuningJobs(r -> r.nameContains("from-file")).hyperParameterTuningJobSummaries()).isEmpty();
    }

    @Test
    void inlineCliInputJsonCreatesAJob() throws IOException {
        String body = TuningRequests.json("inline-job", Programs.image("quadratic.sh"), 1, 1, "0");
        Cli.Result created = run("create-hyper-parameter-tuning-job", "--cli-input-json", body);
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.stdout()).isEqualTo("{\n    \"HyperParameterTuningJobArn\": \"" + ARN_PREFIX + "inline-job\"\n}\n");
        Waits.terminal(server.client(), "inline-job");
    }

    @Test
    void aServiceErrorIsPrintedAsTheAwsCliPrintsItWithExitCode254() {
        Cli.Result missing = run("describe-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "no-such-job");
        assertThat(missing.exitCode()).isEqualTo(254);
        assertThat(missing.stdout()).isEmpty();
        assertThat(missing.stderr()).isEqualTo("\nAn error occurred (ResourceNotFound) when calling the DescribeHyperParameterTuningJob "
                + "operation: Amazon SageMaker can't find a tuning job with name no-such-job\n");

        String invalid = TuningRequests.json("bad_name!", Programs.image("quadratic.sh"), 1, 1, "0");
        Cli.Result rejected = run("create-hyper-parameter-tuning-job", "--cli-input-json", invalid);
        assertThat(rejected.exitCode()).isEqualTo(254);
        assertThat(rejected.stderr()).startsWith("\nAn error occurred (ValidationException) when calling the "
                + "CreateHyperParameterTuningJob operation: 1 validation error detected: Value 'bad_name!' at 'hyperParameterTuningJobName'");
    }

    @Test
    void usageErrorsExitWith252AndSayWhatIsWrong() {
        Cli.Result missing = run("describe-hyper-parameter-tuning-job");
        assertThat(missing.exitCode()).isEqualTo(252);
        assertThat(missing.stderr()).contains("the following arguments are required: --hyper-parameter-tuning-job-name");

        Cli.Result unknown = run("describe-training-job", "--training-job-name", "x", "--no-such-option");
        assertThat(unknown.exitCode()).isEqualTo(252);
        assertThat(unknown.stderr()).contains("Unknown option: '--no-such-option'");

        Cli.Result badJson = run("describe-training-job", "--cli-input-json", "{not json");
        assertThat(badJson.exitCode()).isEqualTo(252);
        assertThat(badJson.stderr()).startsWith("Error parsing parameter '--cli-input-json': Invalid JSON");

        Cli.Result missingInJson = run("describe-training-job", "--cli-input-json", "{}");
        assertThat(missingInJson.exitCode()).isEqualTo(252);
        assertThat(missingInJson.stderr()).isEqualTo("Parameter validation failed:\nMissing required parameter in input: \"TrainingJobName\"\n");

        Cli.Result unknownMember = run("describe-training-job", "--cli-input-json", "{\"TrainingJobName\": \"x\", \"Foo\": 1}");
        assertThat(unknownMember.exitCode()).isEqualTo(252);
        assertThat(unknownMember.stderr()).isEqualTo("Parameter validation failed:\nUnknown parameter in input: \"Foo\", "
                + "must be one of: TrainingJobName\n");

        Cli.Result badQuery = run("list-training-jobs", "--query", "[[");
        assertThat(badQuery.exitCode()).isEqualTo(252);
        assertThat(badQuery.stderr()).startsWith("Bad value for --query [[");
    }

    @Test
    void misspelledMembersAreRefusedAtEveryLevelAsTheAwsCliRefusesThem() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(TuningRequests.json("misspelled", Programs.image("quadratic.sh"), 1, 1, "0"));
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode) body.get("HyperParameterTuningJobConfig");
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("ResourceLimits")).put("Bogus", 1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("ParameterRanges").get("ContinuousParameterRanges").get(0)).put("Nope", "x");
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("TrainingJobDefinition")).putObject("StaticHyperParameter").put("epochs", "3");
        body.putArray("Tags").addObject().put("Key", "team").put("Value", "vision").put("X", "1");
        Path file = dir.resolve("misspelled.json");
        Files.writeString(file, body.toPrettyString());
        // As AWS CLI 1.45.11 prints it for the same file (aws sagemaker create-hyper-parameter-tuning-job --cli-input-json ...).
        String expected = """
                Parameter validation failed:
                Unknown parameter in HyperParameterTuningJobConfig.ResourceLimits: "Bogus", must be one of: MaxNumberOfTrainingJobs, \
                MaxParallelTrainingJobs, MaxRuntimeInSeconds
                Unknown parameter in HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0]: "Nope", must be one of: \
                Name, MinValue, MaxValue, ScalingType
                Unknown parameter in TrainingJobDefinition: "StaticHyperParameter", must be one of: DefinitionName, TuningObjective, \
                HyperParameterRanges, StaticHyperParameters, AlgorithmSpecification, RoleArn, InputDataConfig, VpcConfig, OutputDataConfig, \
                ResourceConfig, HyperParameterTuningResourceConfig, StoppingCondition, EnableNetworkIsolation, \
                EnableInterContainerTrafficEncryption, EnableManagedSpotTraining, CheckpointConfig, RetryStrategy, Environment
                Unknown parameter in Tags[0]: "X", must be one of: Key, Value
                """;
        Cli.Result refused = run("create-hyper-parameter-tuning-job", "--cli-input-json", "file://" + file);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(252);
        assertThat(refused.stderr()).isEqualTo(expected);
        Cli.Result skeleton = run("create-hyper-parameter-tuning-job", "--cli-input-json", "file://" + file, "--generate-cli-skeleton", "output");
        assertThat(skeleton.exitCode()).as(skeleton.toString()).isEqualTo(252);
        assertThat(skeleton.stderr()).isEqualTo(expected);
        Cli.Result missingNested = run("create-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "misspelled",
                "--hyper-parameter-tuning-job-config", "{\"Strategy\": \"Random\", \"ResourceLimits\": {}}",
                "--training-job-definition", JSON.readTree(TuningRequests.json("x", "file:///x", 1, 1, "0")).get("TrainingJobDefinition").toString());
        assertThat(missingNested.exitCode()).as(missingNested.toString()).isEqualTo(252);
        assertThat(missingNested.stderr()).startsWith("Parameter validation failed:\n"
                + "Missing required parameter in HyperParameterTuningJobConfig.ResourceLimits: \"MaxParallelTrainingJobs\"\n");
        assertThat(server.client().listHyperParameterTuningJobs(r -> r.nameContains("misspelled")).hyperParameterTuningJobSummaries()).isEmpty();
    }

    @Test
    void anUnreachableEndpointExitsWith255() {
        Cli.Result r = cli.run("list-training-jobs", "--endpoint-url", "http://127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(255);
        assertThat(r.stderr()).isEqualTo("\nCould not connect to the endpoint URL: \"http://127.0.0.1:1/\"\n");
    }

    @Test
    void queryAndTableOutputRenderAsTheAwsCliDoes() {
        Cli.Result table = run("describe-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "done-job",
                "--query", "TrainingJobStatusCounters", "--output", "table");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        // As AWS CLI 1.45 prints it for the same counters.
        assertThat(table.stdout()).isEqualTo("""
                -------------------------------------------------------------------------------
                |                       DescribeHyperParameterTuningJob                       |
                +-----------+-------------+---------------------+-----------------+-----------+
                | Completed | InProgress  |  NonRetryableError  | RetryableError  |  Stopped  |
                +-----------+-------------+---------------------+-----------------+-----------+
                |  3        |  0          |  0                  |  0              |  0        |
                +-----------+-------------+---------------------+-----------------+-----------+
                """);
    }

    @Test
    void queryWithTextOutputPrintsTabSeparatedValues() {
        Cli.Result text = run("list-training-jobs-for-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "done-job",
                "--query", "TrainingJobSummaries[].[TrainingJobStatus,TunedHyperParameters.lr != null]", "--output", "text");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.stdout()).isEqualTo("Completed\tTrue\nCompleted\tTrue\nCompleted\tTrue\n");

        Cli.Result scalar = run("describe-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "done-job",
                "--query", "HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs");
        assertThat(scalar.stdout()).isEqualTo("3\n");
    }

    @Test
    void listsFetchEveryPageUnlessToldNotTo() throws IOException {
        JsonNode all = JSON.readTree(run("list-training-jobs", "--page-size", "1").stdout());
        assertThat(all.path("TrainingJobSummaries").size()).isGreaterThanOrEqualTo(3);
        assertThat(all.has("NextToken")).isFalse();

        JsonNode one = JSON.readTree(run("list-training-jobs", "--max-results", "1").stdout());
        assertThat(one.path("TrainingJobSummaries").size()).isEqualTo(1);
        assertThat(one.path("NextToken").asText()).isNotEmpty();
    }

    @Test
    void trainingJobCommandsDescribeAndStop() throws Exception {
        String name = JSON.readTree(run("list-training-jobs-for-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name",
                "done-job", "--query", "TrainingJobSummaries[0]").stdout()).path("TrainingJobName").asText();
        Cli.Result describe = run("sagemaker", "describe-training-job", "--training-job-name", name, "--query", "TrainingJobStatus");
        assertThat(describe.stdout()).isEqualTo("\"Completed\"\n");

        Cli.Result stopDone = run("stop-training-job", "--training-job-name", name);
        assertThat(stopDone.exitCode()).isEqualTo(254);
        assertThat(stopDone.stderr()).contains("(ValidationException) when calling the StopTrainingJob operation");

        Path request = TuningRequests.file(dir, "sleepy", Programs.image("sleeps.sh"), 1, 1, "0");
        assertThat(run("create-hyper-parameter-tuning-job", "--cli-input-json", "file://" + request).exitCode()).isZero();
        String running = waitForRunningTrainingJob("sleepy");
        Cli.Result stop = run("stop-training-job", "--training-job-name", running);
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.stdout()).isEmpty();
        Waits.terminal(server.client(), "sleepy");
    }

    @Test
    void tuningJobsAreStoppedDeletedAndTagged() throws Exception {
        Path request = TuningRequests.file(dir, "to-stop", Programs.image("sleeps.sh"), 2, 1, "0");
        assertThat(run("create-hyper-parameter-tuning-job", "--cli-input-json", "file://" + request).exitCode()).isZero();
        String arn = ARN_PREFIX + "to-stop";
        assertThat(run("add-tags", "--resource-arn", arn, "--tags", "Key=team,Value=vision", "Key=stage,Value=dev").exitCode()).isZero();
        assertThat(run("list-tags", "--resource-arn", arn, "--output", "text").stdout().lines())
                .containsExactlyInAnyOrder("TAGS\tteam\tvision", "TAGS\tstage\tdev");
        assertThat(run("delete-tags", "--resource-arn", arn, "--tag-keys", "team", "stage").exitCode()).isZero();
        assertThat(run("list-tags", "--resource-arn", arn).stdout()).isEqualTo("{\n    \"Tags\": []\n}\n");

        Cli.Result deleteRunning = run("delete-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "to-stop");
        assertThat(deleteRunning.exitCode()).isEqualTo(254);
        assertThat(run("stop-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "to-stop").exitCode()).isZero();
        Waits.terminal(server.client(), "to-stop");
        Cli.Result delete = run("delete-hyper-parameter-tuning-job", "--hyper-parameter-tuning-job-name", "to-stop");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(run("list-hyper-parameter-tuning-jobs", "--name-contains", "to-stop", "--query",
                "length(HyperParameterTuningJobSummaries)").stdout()).isEqualTo("0\n");
    }

    @Test
    void credentialsComeFromAProfileOrFromTheServersGeneratedKey() throws IOException {
        Path credentials = dir.resolve("creds");
        Files.writeString(credentials, "[team]\naws_access_key_id = " + TestServer.ACCESS_KEY + "\naws_secret_access_key = "
                + TestServer.SECRET_KEY + "\n");
        Cli profile = Cli.withoutCredentials(dir).env("AWS_SHARED_CREDENTIALS_FILE", credentials.toString()).env("AWS_PROFILE", "team");
        assertThat(profile.run("list-training-jobs", "--endpoint-url", endpoint, "--max-results", "1").exitCode()).isZero();

        Path dataDir = dir.resolve("local-server");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("credentials"), Files.readString(credentials).replace("[team]", "[vernier]"));
        Cli fallback = Cli.withoutCredentials(dir).env("VERNIER_DATA_DIR", dataDir.toString());
        assertThat(fallback.run("list-training-jobs", "--endpoint-url", endpoint, "--max-results", "1").exitCode()).isZero();

        Cli.Result none = Cli.withoutCredentials(dir).run("list-training-jobs", "--endpoint-url", endpoint);
        assertThat(none.exitCode()).isEqualTo(253);
        assertThat(none.stderr()).startsWith("Unable to locate credentials.");

        Cli.Result unknownProfile = profile.run("list-training-jobs", "--endpoint-url", endpoint, "--profile", "nobody");
        assertThat(unknownProfile.exitCode()).isEqualTo(253);
        assertThat(unknownProfile.stderr()).isEqualTo("The config profile (nobody) could not be found\n");

        Cli.Result wrongKey = Cli.withoutCredentials(dir).env("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG1").env("AWS_SECRET_ACCESS_KEY", "x")
                .run("list-training-jobs", "--endpoint-url", endpoint);
        assertThat(wrongKey.exitCode()).isEqualTo(254);
        assertThat(wrongKey.stderr()).contains("when calling the ListTrainingJobs operation");
    }

    private String waitForRunningTrainingJob(String tuningJob) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var jobs = server.client().listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(tuningJob))
                    .trainingJobSummaries();
            for (var j : jobs) if (j.trainingJobStatusAsString().equals("InProgress")) return j.trainingJobName();
            Thread.sleep(100);
        }
        throw new AssertionError("no running training job in " + tuningJob);
    }
}
