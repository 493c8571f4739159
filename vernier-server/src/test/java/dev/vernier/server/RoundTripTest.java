package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;

class RoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"create-maximal.json", "create-minimal.json", "create-plural-definitions.json", "create-hyperband.json"})
    void everyMemberOfCreateComesBackThroughTheSdksDescribe(String file) throws IOException {
        ObjectNode request = read(file);
        try (TestServer server = TestServer.start(dir)) {
            if (request.has("WarmStartConfig")) stoppedWarmStartParent(server, request);
            RawClient.Response created = new RawClient(server.endpoint()).call("CreateHyperParameterTuningJob", Json.write(request));
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            String name = request.get("HyperParameterTuningJobName").asText();
            DescribeHyperParameterTuningJobResponse described = server.client()
                    .describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
            ObjectNode parsed = SdkJson.of(described);
            ObjectNode expected = request.deepCopy();
            expected.remove("Tags");
            assertContains(parsed, expected, "");
            if (file.equals("create-maximal.json")) {
                assertThat(parsed.path("WarmStartConfig").path("WarmStartType").asText()).isNotEmpty();
                assertThat(request.has("TrainingJobDefinition")).isTrue();
            }
        }
    }

    /** Warm-start parents must exist and be terminal: the same request without WarmStartConfig, stopped. */
    private static void stoppedWarmStartParent(TestServer server, ObjectNode request) {
        ObjectNode parent = request.deepCopy();
        parent.remove("WarmStartConfig");
        String name = request.path("WarmStartConfig").path("ParentHyperParameterTuningJobs").get(0)
                .path("HyperParameterTuningJobName").asText();
        parent.put("HyperParameterTuningJobName", name);
        RawClient.Response created = new RawClient(server.endpoint()).call("CreateHyperParameterTuningJob", Json.write(parent));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        try {
            server.client().stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
        } catch (software.amazon.awssdk.services.sagemaker.model.SageMakerException e) {
            // already ended: its training image does not print the objective, so it fails after 3 jobs
        }
        Waits.terminal(server.client(), name);
    }

    @Test
    void olderEnumSpellingsOfTheSeedAreAnsweredWithTheModelsSpelling() throws IOException {
        ObjectNode request = read("create-minimal.json");
        ((ObjectNode) request.get("HyperParameterTuningJobConfig")).put("TrainingJobEarlyStoppingType", "AUTO");
        try (TestServer server = TestServer.start(dir)) {
            RawClient raw = new RawClient(server.endpoint());
            assertThat(raw.call("CreateHyperParameterTuningJob", Json.write(request)).status()).isEqualTo(200);
            String name = request.get("HyperParameterTuningJobName").asText();
            assertThat(server.client().describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name))
                    .hyperParameterTuningJobConfig().trainingJobEarlyStoppingTypeAsString()).isEqualTo("Auto");
        }
    }

    /** The seed's older enum spellings, answered in the model's spelling. */
    static final Map<String, String> MODEL_SPELLING = Map.of("OFF", "Off", "AUTO", "Auto",
            "IDENTICAL_DATA_AND_ALGORITHM", "IdenticalDataAndAlgorithm", "TRANSFER_LEARNING", "TransferLearning");

    /** Every member of {@code expected} is in {@code actual} with an equal value (numbers compared by value). */
    static void assertContains(JsonNode actual, JsonNode expected, String path) {
        if (expected.isObject()) {
            assertThat(actual.isObject()).as(path).isTrue();
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertThat(actual.has(e.getKey())).as("member %s.%s is described", path, e.getKey()).isTrue();
                assertContains(actual.get(e.getKey()), e.getValue(), path + "." + e.getKey());
            }
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(path).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
        } else if (expected.isNumber()) {
            assertThat(new BigDecimal(actual.asText())).as(path).isEqualByComparingTo(expected.decimalValue());
        } else {
            assertThat(actual.asText()).as(path).isEqualTo(MODEL_SPELLING.getOrDefault(expected.asText(), expected.asText()));
        }
    }

    static ObjectNode read(String file) throws IOException {
        try (InputStream in = RoundTripTest.class.getResourceAsStream("/requests/" + file)) {
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
