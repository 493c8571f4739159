package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.json.Json;
import dev.vernier.server.config.Settings;
import dev.vernier.testkit.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code file://} images, data and output locations with an allow-list of roots: inside them a tuning job is
 * created, outside them (directly, through {@code ..} or through a symbolic link) it is a ValidationException that
 * names the field, and nothing is created.
 */
class FileRootsTest {
    @TempDir
    Path dir;

    @Test
    void fileLocationsOutsideTheRootsAreRefusedAndInsideThemAccepted() throws Exception {
        Path root = Files.createDirectories(dir.resolve("allowed"));
        Path data = Files.createDirectories(root.resolve("data"));
        Files.writeString(data.resolve("train.csv"), "1,2\n");
        Path program = Files.copy(Programs.path("quadratic.sh"), root.resolve("train"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
        Settings settings = TestServer.settings(dir.resolve("server")).withNetwork(new Settings.Network(
                Duration.ofSeconds(20), 64, Optional.empty(), Optional.empty(), Optional.of(List.of(root))));
        try (TestServer server = TestServer.start(settings)) {
            RawClient raw = new RawClient(server.endpoint());
            for (String outside : List.of("file:///etc/passwd", "file://" + root + "/../../etc/passwd",
                    "file://" + root + "/escape/passwd")) {
                RawClient.Response r = raw.call("CreateHyperParameterTuningJob", create("img", "file://" + program,
                        "file://" + data + "/", "file://" + root + "/out").toString().replace("file://" + program, outside));
                ProtocolTest.assertError(r, 400, "ValidationException", "trainingJobDefinition.algorithmSpecification.trainingImage");
                assertThat(r.body()).contains("must lie under one of the server's file roots (" + root + ")");
                r = raw.call("CreateHyperParameterTuningJob", create("data", "file://" + program, outside,
                        "file://" + root + "/out").toString());
                ProtocolTest.assertError(r, 400, "ValidationException",
                        "trainingJobDefinition.inputDataConfig.1.member.dataSource.s3DataSource.s3Uri");
                r = raw.call("CreateHyperParameterTuningJob", create("out", "file://" + program, "file://" + data + "/",
                        outside).toString());
                ProtocolTest.assertError(r, 400, "ValidationException", "trainingJobDefinition.outputDataConfig.s3OutputPath");
            }
            assertThat(server.client().listHyperParameterTuningJobs(r -> {}).hyperParameterTuningJobSummaries()).isEmpty();

            RawClient.Response ok = raw.call("CreateHyperParameterTuningJob", create("inside", "file://" + program,
                    "file://" + data + "/", "file://" + root + "/out").toString());
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            server.client().stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("inside"));
        }
    }

    @Test
    void aNulInAFileLocationIsAValidationErrorNotAServerError() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"))) {
            RawClient raw = new RawClient(server.endpoint());
            for (String image : List.of("file:///tmp/a\u0000b", "file:///tmp/a%00b")) {
                RawClient.Response r = raw.call("CreateHyperParameterTuningJob",
                        create("nul", image, "s3://bucket/data/", "s3://bucket/out").toString());
                ProtocolTest.assertError(r, 400, "ValidationException", "trainingImage");
            }
        }
    }

    static ObjectNode create(String name, String image, String dataUri, String outputUri) throws Exception {
        ObjectNode request = RoundTripTest.read("create-minimal.json");
        request.put("HyperParameterTuningJobName", name);
        ObjectNode definition = (ObjectNode) request.get("TrainingJobDefinition");
        ((ObjectNode) definition.get("AlgorithmSpecification")).put("TrainingImage", image);
        ((ObjectNode) definition.get("OutputDataConfig")).put("S3OutputPath", outputUri);
        definition.set("InputDataConfig", Json.MAPPER.readTree("[{\"ChannelName\": \"train\", \"DataSource\": "
                + "{\"S3DataSource\": {\"S3DataType\": \"S3Prefix\", \"S3Uri\": " + Json.MAPPER.writeValueAsString(dataUri)
                + "}}}]"));
        return request;
    }
}
