package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vernier.testkit.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.CreateHyperParameterTuningJobRequest;
import software.amazon.awssdk.services.sagemaker.model.DataSource;
import software.amazon.awssdk.services.sagemaker.model.S3DataDistribution;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;
import software.amazon.awssdk.services.sagemaker.model.S3DataType;
import software.amazon.awssdk.services.sagemaker.model.TrainingInstanceType;
import software.amazon.awssdk.services.sagemaker.model.TrainingJobStatus;

/**
 * A training job of several hosts through the real server and the AWS SDK: every host reaches every other
 * by name and gets its shard of a ShardedByS3Key channel; one host failing fails the job.
 */
class MultiHostApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();

    @BeforeAll
    static void data() throws Exception {
        Path bucket = SHARED.dataDir().resolve("s3/multihost");
        for (int i = 0; i < 7; i++) write(bucket.resolve("train/part-" + i + ".csv"), "row " + i);
        write(bucket.resolve("eval/a.csv"), "a");
    }

    /** How many hosts the job has (Slurm's test cluster has two nodes). */
    int hosts() {
        return 3;
    }

    @Test
    void the_hosts_reach_each_other_by_name_and_each_reads_its_own_shard() throws Exception {
        var done = Waits.terminal(SHARED.client(), create("multihost-ok", Map.of("port", "47311")));

        var job = SHARED.client().describeTrainingJob(r -> r.trainingJobName(
                SHARED.client().listTrainingJobsForHyperParameterTuningJob(q -> q.hyperParameterTuningJobName("multihost-ok"))
                        .trainingJobSummaries().getFirst().trainingJobName()));
        assertThat(job.trainingJobStatus()).as(job.failureReason()).isEqualTo(TrainingJobStatus.COMPLETED);
        assertThat(job.resourceConfig().instanceCount()).isEqualTo(hosts());
        assertThat(done.trainingJobStatusCounters().completed()).isEqualTo(1);
        String log = new RawClient(SHARED.server().endpoint()).get("/v1/training-jobs/" + job.trainingJobName() + "/log").body();
        List<String> names = IntStream.rangeClosed(1, hosts()).mapToObj(k -> "algo-" + k).toList();
        for (String host : names)   // each host heard from every other
            assertThat(log).contains("heard from " + String.join(",", names.stream().filter(h -> !h.equals(host)).toList()));

        Map<String, byte[]> model = dev.vernier.testkit.training.TarEntries.files(SHARED.dataDir().resolve("s3/multihost/output/" + job.trainingJobName()
                + "/output/model.tar.gz"));
        for (int k = 1; k <= hosts(); k++) {   // host k of N: parts k-1, k-1+N, ...
            int first = k - 1;
            var shard = IntStream.range(0, 7).filter(i -> i % hosts() == first).mapToObj(i -> "part-" + i + ".csv").toList();
            var seen = JSON.readTree(model.get("algo-" + k + ".json"));
            assertThat(JSON.convertValue(seen.get("train"), List.class)).as("algo-" + k).isEqualTo(shard);
            assertThat(JSON.convertValue(seen.get("eval"), List.class)).as("algo-" + k).isEqualTo(List.of("a.csv"));
        }
    }

    @Test
    void one_host_failing_fails_the_training_job_with_that_hosts_reason() {
        String last = "algo-" + hosts();
        Waits.terminal(SHARED.client(), create("multihost-fails", Map.of("port", "47312", "fail_host", last)));

        var summary = SHARED.client().listTrainingJobsForHyperParameterTuningJob(
                q -> q.hyperParameterTuningJobName("multihost-fails")).trainingJobSummaries().getFirst();
        var job = SHARED.client().describeTrainingJob(r -> r.trainingJobName(summary.trainingJobName()));
        assertThat(job.trainingJobStatus()).isEqualTo(TrainingJobStatus.FAILED);
        assertThat(job.failureReason()).isEqualTo("host " + last + ": broken on " + last);
    }

    private String create(String name, Map<String, String> hyperParameters) {
        var r = Requests.create(name, Programs.image("multihost.py"), Map.of(), 1, 1);
        var definition = r.trainingJobDefinition().toBuilder()
                .staticHyperParameters(hyperParameters)
                .outputDataConfig(o -> o.s3OutputPath("s3://multihost/output"))
                .resourceConfig(c -> c.instanceType(TrainingInstanceType.ML_M5_LARGE).instanceCount(hosts()).volumeSizeInGB(1))
                .inputDataConfig(channel("train", "s3://multihost/train/", S3DataDistribution.SHARDED_BY_S3_KEY),
                        channel("eval", "s3://multihost/eval/", S3DataDistribution.FULLY_REPLICATED))
                .build();
        CreateHyperParameterTuningJobRequest request = r.toBuilder().trainingJobDefinition(definition).build();
        SHARED.client().createHyperParameterTuningJob(request);
        return name;
    }

    private static Channel channel(String name, String uri, S3DataDistribution distribution) {
        return Channel.builder().channelName(name).dataSource(DataSource.builder().s3DataSource(S3DataSource.builder()
                .s3DataType(S3DataType.S3_PREFIX).s3Uri(uri).s3DataDistributionType(distribution).build()).build()).build();
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
