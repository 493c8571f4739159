package dev.vernier.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import dev.vernier.protocol.sagemaker.RequestEdits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.vernier.protocol.sagemaker.RequestEdits.json;
import static dev.vernier.protocol.sagemaker.RequestEdits.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiModelTest {
    static final ApiModel MODEL = ApiModel.sagemaker();
    static final String CREATE = "CreateHyperParameterTuningJob";

    @Test
    void servesTheTwelveOperationsOfTheExtract() {
        assertThat(MODEL.operationNames()).hasSize(12).contains(CREATE, "DescribeTrainingJob", "AddTags");
        assertThat(MODEL.hasOperation("CreateTrainingJob")).isFalse();
        assertThat(MODEL.hasOperation(null)).isFalse();
        assertThat(ApiModel.sagemaker()).isSameAs(MODEL);
    }

    /** Patterns compile on first use; a broken one must fail here, not on a client's request. */
    @Test
    void everyPatternOfTheModelCompiles() {
        Set<Shape> seen = new HashSet<>();
        Deque<Shape> todo = new ArrayDeque<>();
        for (ApiModel.Operation op : MODEL.operations()) {
            if (op.input() != null) todo.add(op.input());
            if (op.output() != null) todo.add(op.output());
        }
        int patterns = 0;
        while (!todo.isEmpty()) {
            Shape shape = todo.pop();
            if (!seen.add(shape)) continue;
            if (shape.pattern() != null) patterns++;
            shape.members().forEach(m -> todo.add(m.shape()));
            Stream.of(shape.element(), shape.key(), shape.value()).filter(Objects::nonNull).forEach(todo::add);
        }
        assertThat(patterns).isGreaterThan(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"create-minimal.json", "create-maximal.json", "create-plural-definitions.json"})
    void validRequestsInModelSpellingCanonicaliseWithoutLosingAnyMember(String file) {
        ObjectNode request = load(file);
        ObjectNode canonical = MODEL.validateInput(CREATE, request);
        assertThat((JsonNode) canonical).isEqualTo(request);
        assertThat(memberPaths(canonical)).containsExactlyElementsOf(memberPaths(request));
    }

    @Test
    void olderEnumSpellingsOfTheSeedAreAnsweredInTheModelsSpelling() {
        ObjectNode request = load("create-maximal.json");
        ((ObjectNode) request.get("HyperParameterTuningJobConfig")).put("TrainingJobEarlyStoppingType", "OFF");
        ((ObjectNode) request.get("WarmStartConfig")).put("WarmStartType", "TRANSFER_LEARNING");
        ObjectNode canonical = MODEL.validateInput(CREATE, request);
        assertThat(canonical.at("/HyperParameterTuningJobConfig/TrainingJobEarlyStoppingType").asText()).isEqualTo("Off");
        assertThat(canonical.at("/WarmStartConfig/WarmStartType").asText()).isEqualTo("TransferLearning");

        ((ObjectNode) request.get("HyperParameterTuningJobConfig")).put("TrainingJobEarlyStoppingType", "AUTO");
        ((ObjectNode) request.get("WarmStartConfig")).put("WarmStartType", "IDENTICAL_DATA_AND_ALGORITHM");
        canonical = MODEL.validateInput(CREATE, request);
        assertThat(canonical.at("/HyperParameterTuningJobConfig/TrainingJobEarlyStoppingType").asText()).isEqualTo("Auto");
        assertThat(canonical.at("/WarmStartConfig/WarmStartType").asText()).isEqualTo("IdenticalDataAndAlgorithm");
    }

    @Test
    void aliasesAreOnlyAcceptedWhereTheSeedUsedThem() {
        ObjectNode request = load("create-minimal.json");
        ((ObjectNode) request.get("HyperParameterTuningJobConfig")).put("Strategy", "RANDOM");
        assertThatThrownBy(() -> MODEL.validateInput(CREATE, request))
                .hasMessageContaining("at 'hyperParameterTuningJobConfig.strategy'")
                .hasMessageContaining("Member must satisfy enum value set: [Bayesian, Random, Hyperband, Grid]");
    }

    @Test
    void unknownMembersAreDroppedAtEveryDepth() {
        ObjectNode request = load("create-minimal.json");
        request.put("ClientToken", "abc");
        ((ObjectNode) request.get("HyperParameterTuningJobConfig")).put("Surprise", 1);
        ((ObjectNode) request.at("/HyperParameterTuningJobConfig/ParameterRanges/ContinuousParameterRanges/0"))
                .putObject("Nested").put("x", 1);
        ObjectNode canonical = MODEL.validateInput(CREATE, request);
        assertThat((JsonNode) canonical).isEqualTo(load("create-minimal.json"));
    }

    @Test
    void membersComeOutInModelOrderAndExplicitNullsAreLeftOut() {
        ObjectNode request = (ObjectNode) json("{'TrainingJobDefinition': null, 'Tags': null,"
                + "'HyperParameterTuningJobConfig': {'ResourceLimits': {'MaxParallelTrainingJobs': 1},"
                + "'Strategy': 'Random'}, 'HyperParameterTuningJobName': 'n'}");
        ObjectNode canonical = MODEL.validateInput(CREATE, request);
        assertThat(canonical.toString()).isEqualTo("{\"HyperParameterTuningJobName\":\"n\","
                + "\"HyperParameterTuningJobConfig\":{\"Strategy\":\"Random\",\"ResourceLimits\":{\"MaxParallelTrainingJobs\":1}}}");
    }

    @Test
    void integralNumbersAreCanonicalisedAndFractionsOfTimestampsKept() {
        JsonNode request = json("{'MaxResults': 10.0, 'CreationTimeAfter': 1700000000.25,"
                + "'LastModifiedTimeBefore': '2023-11-14T22:13:20.5Z'}");
        ObjectNode canonical = MODEL.validateInput("ListHyperParameterTuningJobs", request);
        assertThat(canonical.get("MaxResults").isInt()).isTrue();
        assertThat(canonical.get("MaxResults").intValue()).isEqualTo(10);
        assertThat(canonical.get("CreationTimeAfter").decimalValue()).isEqualByComparingTo("1700000000.25");
        assertThat(canonical.get("LastModifiedTimeBefore").decimalValue()).isEqualByComparingTo("1700000000.5");
    }

    @Test
    void fileUrisAreAcceptedWhereTheModelWantsS3UrisAsVernierExtension() {
        ObjectNode request = load("create-minimal.json");
        ((ObjectNode) request.at("/TrainingJobDefinition/OutputDataConfig")).put("S3OutputPath", "file:///tmp/out");
        assertThat(MODEL.validateInput(CREATE, request).at("/TrainingJobDefinition/OutputDataConfig/S3OutputPath").asText())
                .isEqualTo("file:///tmp/out");
        ((ObjectNode) request.at("/TrainingJobDefinition/OutputDataConfig")).put("S3OutputPath", "ftp://host/out");
        assertThatThrownBy(() -> MODEL.validateInput(CREATE, request)).hasMessage("1 validation error detected: "
                + "Value 'ftp://host/out' at 'trainingJobDefinition.outputDataConfig.s3OutputPath' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)");
    }

    @Test
    void operationsWithoutInputMembersStillRejectANonObjectBody() {
        assertThat((JsonNode) MODEL.validateInput("DescribeHyperParameterTuningJob",
                json("{'HyperParameterTuningJobName': 'a'}"))).isEqualTo(json("{'HyperParameterTuningJobName': 'a'}"));
        assertThatThrownBy(() -> MODEL.validateInput(CREATE, json("[1]")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION));
        assertThatThrownBy(() -> MODEL.validateInput("DescribeHyperParameterTuningJob", null))
                .hasMessageContaining("Value null at 'hyperParameterTuningJobName'");
    }

    @Test
    void unknownOperationIsRejectedWithTheProtocolCode() {
        assertThatThrownBy(() -> MODEL.validateInput("LaunchRockets", json("{}")))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OPERATION));
        assertThatThrownBy(() -> MODEL.shapeOutput("LaunchRockets", json("{}"))).isInstanceOf(ApiException.class);
    }

    @Test
    void shapeOutputKeepsOnlyModelMembersRecursivelyInModelOrder() {
        JsonNode stored = json("{'TrainingJobStatusCounters': {'Completed': 2, 'Secret': 1},"
                + "'HyperParameterTuningJobName': 'a', 'InternalState': {'x': 1},"
                + "'HyperParameterTuningJobConfig': {'Strategy': 'Random', 'ParameterRanges': {"
                + "  'CategoricalParameterRanges': [{'Name': 'o', 'Values': ['x'], 'Debug': true}]}},"
                + "'TrainingJobDefinition': {'StaticHyperParameters': {'k': 'v', 'k2': 'v2'}},"
                + "'CreationTime': 1700000000.5, 'Tags': [{'Key': 'k'}]}");
        ObjectNode shaped = MODEL.shapeOutput("DescribeHyperParameterTuningJob", stored);
        assertThat(shaped.toString()).isEqualTo(json("{'HyperParameterTuningJobName': 'a',"
                + "'HyperParameterTuningJobConfig': {'Strategy': 'Random', 'ParameterRanges': {"
                + "  'CategoricalParameterRanges': [{'Name': 'o', 'Values': ['x']}]}},"
                + "'TrainingJobDefinition': {'StaticHyperParameters': {'k': 'v', 'k2': 'v2'}},"
                + "'CreationTime': 1700000000.5, 'TrainingJobStatusCounters': {'Completed': 2}}").toString());
    }

    @Test
    void shapeOutputOfAnOperationWithoutOutputIsEmpty() {
        assertThat((JsonNode) MODEL.shapeOutput("StopHyperParameterTuningJob", json("{'a': 1}"))).isEqualTo(json("{}"));
    }

    @Test
    void shapeOutputOfTheMaximalRequestAsDescribeKeepsEveryRequestMember() {
        ObjectNode request = load("create-maximal.json");
        ObjectNode described = MODEL.shapeOutput("DescribeHyperParameterTuningJob", request);
        request.remove("Tags"); // Describe has no Tags: ListTags answers them
        assertThat((JsonNode) described).isEqualTo(request);
    }

    /** Every member path of a tree, e.g. "a.b[].c", so that a lost member shows by name. */
    static List<String> memberPaths(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        if (node.isObject()) node.properties().forEach(e -> {
            out.add(prefix + e.getKey());
            collect(e.getValue(), prefix + e.getKey() + ".", out);
        });
        else if (node.isArray()) node.forEach(e -> collect(e, prefix.isEmpty() ? "[]." : prefix.substring(0, prefix.length() - 1) + "[].", out));
    }
}
