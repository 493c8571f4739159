package dev.vernier.protocol.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import dev.vernier.protocol.sagemaker.RequestEdits;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.vernier.protocol.sagemaker.RequestEdits.all;
import static dev.vernier.protocol.sagemaker.RequestEdits.load;
import static dev.vernier.protocol.sagemaker.RequestEdits.remove;
import static dev.vernier.protocol.sagemaker.RequestEdits.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One case per kind of model constraint, each an edit of the minimal Create request. */
class InputConstraintTest {
    static final String CONFIG = "/HyperParameterTuningJobConfig";
    static final String DEF = "/TrainingJobDefinition";

    record Case(String name, UnaryOperator<ObjectNode> edit, ErrorCode code, List<String> fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case violation(String name, UnaryOperator<ObjectNode> edit, String... fragments) {
        return new Case(name, edit, ErrorCode.VALIDATION, List.of(fragments));
    }

    static Case unreadable(String name, UnaryOperator<ObjectNode> edit, String path) {
        return new Case(name, edit, ErrorCode.SERIALIZATION, List.of("'" + path + "'"));
    }

    static Stream<Case> cases() {
        String parents = IntStream.rangeClosed(1, 6).mapToObj(i -> "{'HyperParameterTuningJobName': 'p" + i + "'}")
                .collect(Collectors.joining(",", "[", "]"));
        String environment = IntStream.rangeClosed(1, 49).mapToObj(i -> "'V" + i + "': 'x'")
                .collect(Collectors.joining(",", "{", "}"));
        return Stream.of(
                violation("a missing required member", remove(CONFIG),
                        "1 validation error detected: Value null at 'hyperParameterTuningJobConfig' failed to satisfy "
                                + "constraint: Member must not be null"),
                violation("a missing required member inside a list element",
                        remove(CONFIG + "/ParameterRanges/ContinuousParameterRanges/0/Name"),
                        "Value null at 'hyperParameterTuningJobConfig.parameterRanges.continuousParameterRanges.1.member.name' "
                                + "failed to satisfy constraint: Member must not be null"),
                violation("a name that breaks the pattern", set("/HyperParameterTuningJobName", "'bad name'"),
                        "1 validation error detected: Value 'bad name' at 'hyperParameterTuningJobName' failed to satisfy "
                                + "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}"),
                violation("a pattern that only a prefix matches (patterns are full matches)",
                        set("/HyperParameterTuningJobName", "'abc-'"), "Value 'abc-' at 'hyperParameterTuningJobName'"),
                violation("a string longer than its maximum", set("/HyperParameterTuningJobName", "'" + "a".repeat(33) + "'"),
                        "at 'hyperParameterTuningJobName' failed to satisfy constraint: Member must have length less than or equal to 32"),
                violation("a string shorter than its minimum",
                        set(CONFIG + "/HyperParameterTuningJobObjective/MetricName", "''"),
                        "Value '' at 'hyperParameterTuningJobConfig.hyperParameterTuningJobObjective.metricName' failed to "
                                + "satisfy constraint: Member must have length greater than or equal to 1"),
                violation("an integer below its minimum", set(CONFIG + "/ResourceLimits/MaxParallelTrainingJobs", "0"),
                        "Value '0' at 'hyperParameterTuningJobConfig.resourceLimits.maxParallelTrainingJobs' failed to "
                                + "satisfy constraint: Member must have value greater than or equal to 1"),
                violation("an integer above its maximum", set(CONFIG + "/ResourceLimits/MaxRuntimeInSeconds", "15768001"),
                        "Value '15768001' at 'hyperParameterTuningJobConfig.resourceLimits.maxRuntimeInSeconds' failed to "
                                + "satisfy constraint: Member must have value less than or equal to 15768000"),
                violation("a value outside the enum", set(CONFIG + "/Strategy", "'Sobol'"),
                        "Value 'Sobol' at 'hyperParameterTuningJobConfig.strategy' failed to satisfy constraint: "
                                + "Member must satisfy enum value set: [Bayesian, Random, Hyperband, Grid]"),
                violation("a list longer than its maximum",
                        set("/WarmStartConfig", "{'WarmStartType': 'TransferLearning', 'ParentHyperParameterTuningJobs': " + parents + "}"),
                        "at 'warmStartConfig.parentHyperParameterTuningJobs' failed to satisfy constraint: "
                                + "Member must have length less than or equal to 5"),
                violation("a list shorter than its minimum",
                        set(CONFIG + "/ParameterRanges/CategoricalParameterRanges", "[{'Name': 'opt', 'Values': []}]"),
                        "Value '[]' at 'hyperParameterTuningJobConfig.parameterRanges.categoricalParameterRanges.1.member.values' "
                                + "failed to satisfy constraint: Member must have length greater than or equal to 1"),
                violation("a null list element", set(CONFIG + "/ParameterRanges/IntegerParameterRanges", "[null]"),
                        "Value null at 'hyperParameterTuningJobConfig.parameterRanges.integerParameterRanges.1.member' "
                                + "failed to satisfy constraint: Member must not be null"),
                violation("a map with more entries than its maximum", set(DEF + "/Environment", environment),
                        "at 'trainingJobDefinition.environment' failed to satisfy constraint: "
                                + "Member must have length less than or equal to 48"),
                violation("a map key that breaks its pattern", set(DEF + "/Environment", "{'1BAD': 'x'}"),
                        "Value '{1BAD=x}' at 'trainingJobDefinition.environment' failed to satisfy constraint: Map keys must "
                                + "satisfy constraint: [Member must satisfy regular expression pattern: ^[a-zA-Z_][a-zA-Z0-9_]*]"),
                violation("a map value longer than its maximum",
                        set(DEF + "/StaticHyperParameters", "{'notes': '" + "x".repeat(2501) + "'}"),
                        "at 'trainingJobDefinition.staticHyperParameters' failed to satisfy constraint: Map value must "
                                + "satisfy constraint: [Member must have length less than or equal to 2500]"),
                violation("several violations, all listed at once",
                        all(set("/HyperParameterTuningJobName", "'bad name'"), set(CONFIG + "/Strategy", "'Sobol'"),
                                remove(DEF + "/RoleArn")),
                        "3 validation errors detected: ", "'hyperParameterTuningJobName'",
                        "'hyperParameterTuningJobConfig.strategy'", "Value null at 'trainingJobDefinition.roleArn'"),
                unreadable("a string where an integer belongs", set(CONFIG + "/ResourceLimits/MaxParallelTrainingJobs", "'2'"),
                        "hyperParameterTuningJobConfig.resourceLimits.maxParallelTrainingJobs"),
                unreadable("a fraction where an integer belongs", set(CONFIG + "/ResourceLimits/MaxParallelTrainingJobs", "1.5"),
                        "hyperParameterTuningJobConfig.resourceLimits.maxParallelTrainingJobs"),
                unreadable("an integer beyond 32 bits", set(CONFIG + "/ResourceLimits/MaxParallelTrainingJobs", "3000000000"),
                        "hyperParameterTuningJobConfig.resourceLimits.maxParallelTrainingJobs"),
                unreadable("a number too large for any type", set(CONFIG + "/ResourceLimits/MaxParallelTrainingJobs", "1e400"),
                        "hyperParameterTuningJobConfig.resourceLimits.maxParallelTrainingJobs"),
                unreadable("a number where a string belongs", set("/HyperParameterTuningJobName", "42"),
                        "hyperParameterTuningJobName"),
                unreadable("an object where a list belongs", set(DEF + "/AlgorithmSpecification/MetricDefinitions", "{}"),
                        "trainingJobDefinition.algorithmSpecification.metricDefinitions"),
                unreadable("a string where a boolean belongs", set(DEF + "/EnableNetworkIsolation", "'true'"),
                        "trainingJobDefinition.enableNetworkIsolation"),
                unreadable("a number as a map value", set(DEF + "/StaticHyperParameters", "{'epochs': 5}"),
                        "trainingJobDefinition.staticHyperParameters.epochs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedWithTheCodeAndTheFieldPath(Case c) {
        ObjectNode request = c.edit().apply(load("create-minimal.json"));
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> ApiModel.sagemaker().validateInput("CreateHyperParameterTuningJob", request));
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.code()).isEqualTo(c.code());
        for (String fragment : c.fragments()) assertThat(e.getMessage()).contains(fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamps")
    void unreadableTimestampsAreSerializationErrors(String value) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> ApiModel.sagemaker()
                .validateInput("ListHyperParameterTuningJobs", RequestEdits.json("{'CreationTimeAfter': " + value + "}")));
        assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION);
        assertThat(e.getMessage()).contains("'creationTimeAfter'");
    }

    static Stream<String> timestamps() {
        return Stream.of("'yesterday'", "true", "{}", "[1]");
    }
}
