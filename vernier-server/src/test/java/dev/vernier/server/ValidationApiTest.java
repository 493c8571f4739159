package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.json.Json;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One bad Create request per rule, sent to a real server: each is a 400 ValidationException whose
 * message names the field, and leaves nothing behind.
 */
class ValidationApiTest {
    @RegisterExtension
    static final SharedServer SHARED = new SharedServer();
    static RawClient raw;

    @BeforeAll
    static void start() {
        raw = new RawClient(SHARED.server().endpoint());
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("name pattern", "hyperParameterTuningJobName", r -> r.put("HyperParameterTuningJobName", "bad_name!")),
                bad("name too long", "hyperParameterTuningJobName", r -> r.put("HyperParameterTuningJobName", "a".repeat(33))),
                bad("missing config", "hyperParameterTuningJobConfig", r -> r.remove("HyperParameterTuningJobConfig")),
                bad("strategy enum", "strategy", r -> config(r).put("Strategy", "Genetic")),
                bad("max jobs below 1", "maxNumberOfTrainingJobs", r -> limits(r).put("MaxNumberOfTrainingJobs", 0)),
                bad("duplicate parameter names", "learning_rate", r -> continuous(r).addObject()
                        .put("Name", "learning_rate").put("MinValue", "0.1").put("MaxValue", "0.2")),
                bad("parameter also static", "learning_rate", r -> definition(r).putObject("StaticHyperParameters")
                        .put("learning_rate", "0.1")),
                bad("min not numeric", "minValue", r -> firstRange(r).put("MinValue", "abc")),
                bad("min above max", "continuousParameterRanges.1.member.minValue", r -> firstRange(r).put("MinValue", "0.5").put("MaxValue", "0.1")),
                bad("integer range not integral", "integerParameterRanges", r -> ranges(r).putArray("IntegerParameterRanges")
                        .addObject().put("Name", "layers").put("MinValue", "1.5").put("MaxValue", "4")),
                bad("logarithmic needs positive min", "continuousParameterRanges.1.member.minValue", r -> firstRange(r).put("MinValue", "0")
                        .put("ScalingType", "Logarithmic")),
                bad("reverse logarithmic needs max below 1", "continuousParameterRanges.1.member.minValue", r -> firstRange(r).put("MaxValue", "1")
                        .put("ScalingType", "ReverseLogarithmic")),
                bad("categorical values unique", "categoricalParameterRanges", r -> ranges(r).putArray("CategoricalParameterRanges")
                        .addObject().put("Name", "opt").putArray("Values").add("sgd").add("sgd")),
                bad("categorical values empty", "categoricalParameterRanges", r -> ranges(r).putArray("CategoricalParameterRanges")
                        .addObject().put("Name", "opt").putArray("Values")),
                bad("image and algorithm name", "trainingImage", r -> algorithm(r).put("AlgorithmName", "xgboost")),
                bad("neither image nor algorithm", "trainingImage", r -> algorithm(r).remove("TrainingImage")),
                bad("objective not defined", "validation:loss", r -> ((ObjectNode) algorithm(r).get("MetricDefinitions").get(0))
                        .put("Name", "train:loss")),
                bad("grid with continuous ranges", "Grid", r -> config(r).put("Strategy", "Grid")),
                bad("hyperband with early stopping", "trainingJobEarlyStoppingType", r -> {
                    config(r).put("Strategy", "Hyperband").put("TrainingJobEarlyStoppingType", "Auto");
                    config(r).putObject("StrategyConfig").putObject("HyperbandStrategyConfig").put("MaxResource", 10);
                }),
                bad("hyperband without max resource", "maxResource", r -> config(r).put("Strategy", "Hyperband")),
                bad("too many warm start parents", "parentHyperParameterTuningJobs", r -> {
                    ObjectNode w = r.putObject("WarmStartConfig").put("WarmStartType", "TransferLearning");
                    var parents = w.putArray("ParentHyperParameterTuningJobs");
                    for (int i = 0; i < 6; i++) parents.addObject().put("HyperParameterTuningJobName", "p" + i);
                }),
                bad("regex without a capture group", "regex", r -> ((ObjectNode) algorithm(r).get("MetricDefinitions").get(0))
                        .put("Regex", "validation loss: [0-9.]+")),
                bad("both definition forms", "trainingJobDefinitions", r -> r.putArray("TrainingJobDefinitions")
                        .add(definition(r).deepCopy().put("DefinitionName", "a"))),
                bad("autotune is not supported", "autotune", r -> r.putObject("Autotune").put("Mode", "Enabled")),
                bad("NUL in a static hyperparameter", "staticHyperParameters", r -> definition(r)
                        .putObject("StaticHyperParameters").put("batch", "64\u0000")),
                bad("NUL in an environment variable", "environment", r -> definition(r)
                        .putObject("Environment").put("MODE", "a\u0000b")),
                bad("NUL in a categorical value", "parameterRanges", r -> ranges(r).putArray("CategoricalParameterRanges")
                        .addObject().put("Name", "opt").putArray("Values").add("sgd").add("ad\u0000am")),
                bad("managed spot is not supported", "enableManagedSpotTraining", r -> definition(r)
                        .put("EnableManagedSpotTraining", true)),
                bad("vpc is not supported", "vpcConfig", r -> definition(r).putObject("VpcConfig")
                        .<ObjectNode>set("SecurityGroupIds", Json.MAPPER.createArrayNode().add("sg-1"))
                        .set("Subnets", Json.MAPPER.createArrayNode().add("subnet-1"))),
                bad("file system data is not supported", "fileSystemDataSource", r -> definition(r).putArray("InputDataConfig")
                        .addObject().put("ChannelName", "train").putObject("DataSource").putObject("FileSystemDataSource")
                        .put("FileSystemId", "fs-12345678").put("FileSystemAccessMode", "ro").put("FileSystemType", "EFS")
                        .put("DirectoryPath", "/fsx/train")),
                bad("s3 channel that matches no object", "No S3 objects found under S3 URL \"s3://vernier-data/nothing-here/\"",
                        r -> channel(r, "s3://vernier-data/nothing-here/")),
                bad("file channel that matches no file", "No files found at path \"file:///nonexistent/vernier-empty/\"",
                        r -> channel(r, "file:///nonexistent/vernier-empty/")),
                bad("tag key pattern", "tags", r -> r.putArray("Tags").addObject().put("Key", "bad{key").put("Value", "v")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void aRejectedCreateNamesTheFieldAndCreatesNothing(String rule, String fieldInMessage, Consumer<ObjectNode> mutation)
            throws IOException {
        ObjectNode request = RoundTripTest.read("create-minimal.json");
        mutation.accept(request);
        RawClient.Response r = raw.call("CreateHyperParameterTuningJob", Json.write(request));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode body = Json.parseObject(r.body());
        assertThat(body.path("__type").asText()).as(r.body()).isEqualTo("ValidationException");
        assertThat(body.path("message").asText()).containsIgnoringCase(fieldInMessage);
        assertThat(raw.call("ListHyperParameterTuningJobs", "{}").body()).isEqualTo("{\"HyperParameterTuningJobSummaries\":[]}");
    }

    static void channel(ObjectNode r, String uri) {
        definition(r).putArray("InputDataConfig").addObject().put("ChannelName", "train").putObject("DataSource")
                .putObject("S3DataSource").put("S3DataType", "S3Prefix").put("S3Uri", uri);
    }

    static Arguments bad(String rule, String field, Consumer<ObjectNode> mutation) {
        return Arguments.of(rule, field, mutation);
    }

    static ObjectNode config(ObjectNode r) {
        return (ObjectNode) r.get("HyperParameterTuningJobConfig");
    }

    static ObjectNode limits(ObjectNode r) {
        return (ObjectNode) config(r).get("ResourceLimits");
    }

    static ObjectNode ranges(ObjectNode r) {
        return (ObjectNode) config(r).get("ParameterRanges");
    }

    static com.fasterxml.jackson.databind.node.ArrayNode continuous(ObjectNode r) {
        return (com.fasterxml.jackson.databind.node.ArrayNode) ranges(r).get("ContinuousParameterRanges");
    }

    static ObjectNode firstRange(ObjectNode r) {
        return (ObjectNode) continuous(r).get(0);
    }

    static ObjectNode definition(ObjectNode r) {
        return (ObjectNode) r.get("TrainingJobDefinition");
    }

    static ObjectNode algorithm(ObjectNode r) {
        return (ObjectNode) definition(r).get("AlgorithmSpecification");
    }
}
