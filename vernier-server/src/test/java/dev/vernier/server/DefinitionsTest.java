package dev.vernier.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.json.Json;
import dev.vernier.testkit.Programs;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobSummary;

import static org.assertj.core.api.Assertions.assertThat;

/** Several TrainingJobDefinitions, resource configs, and ListTrainingJobs. */
class DefinitionsTest {
    @TempDir
    Path dir;

    @Test
    void everyJobBelongsToOneDefinitionAndTheStrategyChoosesAmongThem() {
        ObjectNode request = Json.parseObject("""
                {"HyperParameterTuningJobName": "two-defs",
                 "HyperParameterTuningJobConfig": {"Strategy": "Random", "RandomSeed": 11,
                   "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
                   "ResourceLimits": {"MaxNumberOfTrainingJobs": 10, "MaxParallelTrainingJobs": 2}},
                 "TrainingJobDefinitions": []}""");
        ArrayNode definitions = (ArrayNode) request.get("TrainingJobDefinitions");
        for (String[] d : new String[][] {{"good", "0"}, {"bad", "5"}}) {
            definitions.add(Json.parseObject("""
                    {"DefinitionName": "%s",
                     "HyperParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1"}]},
                     "StaticHyperParameters": {"offset": "%s"},
                     "AlgorithmSpecification": {"TrainingImage": "%s", "TrainingInputMode": "File",
                       "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.]+)"}]},
                     "RoleArn": "arn:aws:iam::123456789012:role/r",
                     "OutputDataConfig": {"S3OutputPath": "s3://out/%s"},
                     "HyperParameterTuningResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
                     "StoppingCondition": {"MaxRuntimeInSeconds": 60}}""".formatted(d[0], d[1], Programs.image("offset_quadratic.sh"), d[0])));
        }
        try (TestServer server = TestServer.start(dir)) {
            var sm = server.client();
            assertThat(new RawClient(server.endpoint()).call("CreateHyperParameterTuningJob", Json.write(request)).status()).isEqualTo(200);
            var d = Waits.terminal(sm, "two-defs");
            assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
            List<HyperParameterTrainingJobSummary> jobs = SchedulingTest.jobs(sm, "two-defs");
            assertThat(jobs).hasSize(10);
            Set<String> used = jobs.stream().map(HyperParameterTrainingJobSummary::trainingJobDefinitionName).collect(Collectors.toSet());
            assertThat(used).containsExactlyInAnyOrder("good", "bad");
            assertThat(d.bestTrainingJob().trainingJobDefinitionName()).isEqualTo("good");
            HyperParameterTrainingJobSummary bad = jobs.stream().filter(j -> j.trainingJobDefinitionName().equals("bad")).findFirst().orElseThrow();
            var described = sm.describeTrainingJob(r -> r.trainingJobName(bad.trainingJobName()));
            assertThat(described.hyperParameters()).containsEntry("offset", "5");
            assertThat(described.resourceConfig().instanceTypeAsString()).isEqualTo("ml.m5.large");
            assertThat(described.outputDataConfig().s3OutputPath()).isEqualTo("s3://out/bad");

            List<TrainingJobSummary> all = sm.listTrainingJobsPaginator(r -> r.nameContains("two-defs").maxResults(3))
                    .trainingJobSummaries().stream().toList();
            assertThat(all).hasSize(10).isSortedAccordingTo(java.util.Comparator.comparing(TrainingJobSummary::creationTime));
            assertThat(sm.listTrainingJobs(r -> r.statusEquals("Failed")).trainingJobSummaries()).isEmpty();
            assertThat(sm.listTrainingJobs(r -> r.warmPoolStatusEquals("InUse")).trainingJobSummaries()).isEmpty();
        }
    }

    @Test
    void moreThanOneInstanceWithNetworkIsolationIsRefusedAtCreate() {
        try (TestServer server = TestServer.start(dir)) {
            var r = Requests.minimalCreate("multi-node");
            try {
                var sm = server.client();
                sm.createHyperParameterTuningJob(r.toBuilder().trainingJobDefinition(r.trainingJobDefinition().toBuilder()
                        .enableNetworkIsolation(true)
                        .resourceConfig(c -> c.instanceType("ml.m5.large").instanceCount(2).volumeSizeInGB(1)).build()).build());
                throw new AssertionError("accepted InstanceCount 2 with EnableNetworkIsolation");
            } catch (software.amazon.awssdk.services.sagemaker.model.SageMakerException e) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                assertThat(e.getMessage()).contains("InstanceCount");
            }
            assertThat(server.client().listHyperParameterTuningJobs(q -> {}).hyperParameterTuningJobSummaries()).isEmpty();
        }
    }
}
