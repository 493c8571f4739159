package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.objectstore.s3.S3ObjectStore;
import dev.vernier.objectstore.s3.S3Settings;
import dev.vernier.server.config.Settings;
import dev.vernier.testkit.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.model.Channel;
import software.amazon.awssdk.services.sagemaker.model.DataSource;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.OutputDataConfig;
import software.amazon.awssdk.services.sagemaker.model.S3DataSource;

/** A server whose s3:// locations are on an S3-compatible endpoint (S3Proxy, in-process): channels read and models written there. */
class S3EndpointTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder()
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, "endpoint-key", "endpoint-secret").ignoreUnknownHeaders().build();

    @TempDir Path tmp;

    @Test
    void aTuningJobStagesItsChannelFromTheEndpointAndWritesItsModelThere() throws Exception {
        S3Settings s3Settings = S3Settings.of(S3.getUri(), "us-east-1", S3.getAccessKey(), S3.getSecretKey());
        byte[] bytes = new byte[300_000];
        new java.util.Random(7).nextBytes(bytes);
        try (S3Client s3 = S3ObjectStore.client(s3Settings)) {
            s3.createBucket(b -> b.bucket("datasets"));
            s3.createBucket(b -> b.bucket("models"));
            s3.putObject(p -> p.bucket("datasets").key("train/a.csv"), RequestBody.fromString("1,2,3\n"));
            s3.putObject(p -> p.bucket("datasets").key("train/deep/b.bin"), RequestBody.fromBytes(bytes));
            s3.putObject(p -> p.bucket("datasets").key("test/c.csv"), RequestBody.fromString("not staged"));

            Settings base = TestServer.settings(tmp.resolve("data"));
            Settings settings = base.withObjectStorage(new Settings.ObjectStorage(Optional.of(S3.getUri()), "us-east-1", true, Optional.of(S3.getAccessKey()),
                            Optional.of(S3.getSecretKey()), OptionalInt.empty()));
            try (TestServer server = TestServer.start(settings)) {
                var request = Requests.create("from-s3", Programs.image("copies_channels_to_model.sh"), Map.of(), 1, 1);
                server.client().createHyperParameterTuningJob(request.toBuilder().trainingJobDefinition(
                        request.trainingJobDefinition().toBuilder()
                                .inputDataConfig(Channel.builder().channelName("train").dataSource(DataSource.builder()
                                        .s3DataSource(S3DataSource.builder().s3DataType("S3Prefix")
                                                .s3Uri("s3://datasets/train/").build()).build()).build())
                                .outputDataConfig(OutputDataConfig.builder().s3OutputPath("s3://models/runs").build())
                                .build()).build());

                assertThat(Waits.terminal(server.client(), "from-s3").hyperParameterTuningJobStatus())
                        .isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
                String job = server.client().listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("from-s3"))
                        .trainingJobSummaries().get(0).trainingJobName();
                Path model = tmp.resolve("model.tar.gz");
                s3.getObject(g -> g.bucket("models").key("runs/" + job + "/output/model.tar.gz"), model);
                Path unpacked = Files.createDirectories(tmp.resolve("model"));
                assertThat(new ProcessBuilder("tar", "-xzf", model.toString(), "-C", unpacked.toString()).inheritIO()
                        .start().waitFor()).isZero();
                assertThat(unpacked.resolve("train/a.csv")).hasContent("1,2,3\n");
                assertThat(Files.readAllBytes(unpacked.resolve("train/deep/b.bin"))).isEqualTo(bytes);
                assertThat(unpacked.resolve("train/c.csv")).doesNotExist();
            }
        }
    }
}
