package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import dev.vernier.protocol.model.ApiModel;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.vernier.protocol.sagemaker.RequestEdits.all;
import static dev.vernier.protocol.sagemaker.RequestEdits.load;
import static dev.vernier.protocol.sagemaker.RequestEdits.remove;
import static dev.vernier.protocol.sagemaker.RequestEdits.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One case per semantic rule of CreateHyperParameterTuningJob, each an edit of a valid request. */
class TuningJobRequestRulesTest {
    static final String CONFIG = "/HyperParameterTuningJobConfig";
    static final String RANGES = CONFIG + "/ParameterRanges";
    static final String DEF = "/TrainingJobDefinition";
    static final String CHANNEL = DEF + "/InputDataConfig/0";
    static final String P_RANGES = "hyperParameterTuningJobConfig.parameterRanges";

    /** Refuses one image and one warm-start parent, as a server's checks would. */
    static final TuningJobRequestRules.Checks CHECKS = new TuningJobRequestRules.Checks() {
        @Override
        public Optional<String> checkImage(String image) {
            return image.equals("missing:latest") ? Optional.of("No local program is mapped to image 'missing:latest'")
                    : Optional.empty();
        }

        @Override
        public Optional<String> checkWarmStartParent(String name, ObjectNode child) {
            return name.equals("ghost") ? Optional.of("Tuning job 'ghost' does not exist") : Optional.empty();
        }
    };

    record Case(String name, String base, UnaryOperator<ObjectNode> edit, List<String> fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case rule(String name, UnaryOperator<ObjectNode> edit, String... fragments) {
        return new Case(name, "create-maximal.json", edit, List.of(fragments));
    }

    static Case minimal(String name, UnaryOperator<ObjectNode> edit, String... fragments) {
        return new Case(name, "create-minimal.json", edit, List.of(fragments));
    }

    static Case plural(String name, UnaryOperator<ObjectNode> edit, String... fragments) {
        return new Case(name, "create-plural-definitions.json", edit, List.of(fragments));
    }

    static Stream<Case> rangeCases() {
        String many = IntStream.range(0, 16).mapToObj(i -> "{'Name': 'i" + i + "', 'MinValue': '1', 'MaxValue': '2'}")
                .collect(Collectors.joining(",", "[", "]"));
        String manyMore = IntStream.range(0, 15).mapToObj(i -> "{'Name': 'c" + i + "', 'MinValue': '1', 'MaxValue': '2'}")
                .collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
                minimal("a parameter name used in two range lists",
                        set(RANGES + "/IntegerParameterRanges", "[{'Name': 'learning_rate', 'MinValue': '1', 'MaxValue': '5'}]"),
                        "at '" + P_RANGES + ".continuousParameterRanges.1.member.name'", "must be unique",
                        "also at '" + P_RANGES + ".integerParameterRanges.1.member.name'"),
                minimal("a tuned parameter that is also static",
                        set(DEF + "/StaticHyperParameters", "{'learning_rate': '0.1'}"),
                        "Value 'learning_rate' at '" + P_RANGES + ".continuousParameterRanges.1.member.name'",
                        "must not also be in StaticHyperParameters"),
                minimal("a MinValue that is not a number", set(RANGES + "/ContinuousParameterRanges/0/MinValue", "'abc'"),
                        "Value 'abc' at '" + P_RANGES + ".continuousParameterRanges.1.member.minValue' failed to satisfy "
                                + "constraint: Member must be a number"),
                minimal("a MaxValue that is not finite", set(RANGES + "/ContinuousParameterRanges/0/MaxValue", "'1e999'"),
                        "at '" + P_RANGES + ".continuousParameterRanges.1.member.maxValue'", "Member must be a number"),
                minimal("MinValue above MaxValue", set(RANGES + "/ContinuousParameterRanges/0/MinValue", "'0.5'"),
                        "Value '0.5' at '" + P_RANGES + ".continuousParameterRanges.1.member.minValue'",
                        "MinValue must be less than or equal to MaxValue '0.1'"),
                minimal("an integer range with a fractional bound",
                        set(RANGES + "/IntegerParameterRanges", "[{'Name': 'layers', 'MinValue': '1.5', 'MaxValue': '4'}]"),
                        "Value '1.5' at '" + P_RANGES + ".integerParameterRanges.1.member.minValue'", "Member must be an integer"),
                minimal("Logarithmic scaling from zero",
                        all(set(RANGES + "/ContinuousParameterRanges/0/MinValue", "'0'"),
                                set(RANGES + "/ContinuousParameterRanges/0/ScalingType", "'Logarithmic'")),
                        "at '" + P_RANGES + ".continuousParameterRanges.1.member.minValue'",
                        "Logarithmic scaling needs a range of values greater than 0"),
                minimal("ReverseLogarithmic scaling up to 1",
                        all(set(RANGES + "/ContinuousParameterRanges/0/MaxValue", "'1'"),
                                set(RANGES + "/ContinuousParameterRanges/0/ScalingType", "'ReverseLogarithmic'")),
                        "at '" + P_RANGES + ".continuousParameterRanges.1.member.minValue'", "0 <= MinValue < MaxValue < 1"),
                minimal("ReverseLogarithmic scaling on an integer range",
                        set(RANGES + "/IntegerParameterRanges",
                                "[{'Name': 'k', 'MinValue': '1', 'MaxValue': '4', 'ScalingType': 'ReverseLogarithmic'}]"),
                        "Value 'ReverseLogarithmic' at '" + P_RANGES + ".integerParameterRanges.1.member.scalingType'",
                        "applies only to ContinuousParameterRanges"),
                minimal("an empty categorical value",
                        set(RANGES + "/CategoricalParameterRanges", "[{'Name': 'opt', 'Values': ['sgd', '']}]"),
                        "Value '' at '" + P_RANGES + ".categoricalParameterRanges.1.member.values.2.member'", "must not be empty"),
                minimal("a repeated categorical value",
                        set(RANGES + "/CategoricalParameterRanges", "[{'Name': 'opt', 'Values': ['sgd', 'adam', 'sgd']}]"),
                        "Value 'sgd' at '" + P_RANGES + ".categoricalParameterRanges.1.member.values.3.member'", "must be unique"),
                minimal("no ranges at all", remove(RANGES),
                        "Value null at '" + P_RANGES + "' failed to satisfy constraint: Member must not be null"),
                minimal("empty range lists", set(RANGES, "{'IntegerParameterRanges': []}"),
                        "at '" + P_RANGES + "'", "must have a range"),
                minimal("more than 30 ranges in the three lists together",
                        all(set(RANGES + "/IntegerParameterRanges", many), set(RANGES + "/ContinuousParameterRanges", manyMore)),
                        "at '" + P_RANGES + "'", "at most 30 ranges; found 31"),
                minimal("AutoParameters", set(RANGES + "/AutoParameters", "[{'Name': 'x', 'ValueHint': '1'}]"),
                        "at '" + P_RANGES + ".autoParameters'", "is not supported by Vernier"));
    }

    static Stream<Case> definitionCases() {
        String spec = "trainingJobDefinition.algorithmSpecification";
        return Stream.of(
                minimal("AlgorithmName instead of TrainingImage",
                        all(remove(DEF + "/AlgorithmSpecification/TrainingImage"),
                                set(DEF + "/AlgorithmSpecification/AlgorithmName", "'my-algorithm'")),
                        "Value 'my-algorithm' at '" + spec + ".algorithmName'", "is not supported by Vernier"),
                minimal("both TrainingImage and AlgorithmName",
                        set(DEF + "/AlgorithmSpecification/AlgorithmName", "'my-algorithm'"),
                        "at '" + spec + ".algorithmName'", "Give either TrainingImage or AlgorithmName, not both"),
                minimal("neither TrainingImage nor AlgorithmName", remove(DEF + "/AlgorithmSpecification/TrainingImage"),
                        "Value null at '" + spec + ".trainingImage'"),
                minimal("an image the server cannot run",
                        set(DEF + "/AlgorithmSpecification/TrainingImage", "'missing:latest'"),
                        "Value 'missing:latest' at '" + spec + ".trainingImage'", "No local program is mapped"),
                minimal("an objective metric that no MetricDefinition defines",
                        set(CONFIG + "/HyperParameterTuningJobObjective/MetricName", "'accuracy'"),
                        "Value 'accuracy' at 'hyperParameterTuningJobConfig.hyperParameterTuningJobObjective.metricName'",
                        "must be defined in '" + spec + ".metricDefinitions'"),
                minimal("a metric regex without a capture group",
                        set(DEF + "/AlgorithmSpecification/MetricDefinitions/0/Regex", "'validation loss: [0-9.]+'"),
                        "at '" + spec + ".metricDefinitions.1.member.regex'", "needs a capture group"),
                minimal("a metric regex that RE2 cannot compile (lookbehind)",
                        set(DEF + "/AlgorithmSpecification/MetricDefinitions/0/Regex", "'(?<=loss: )([0-9.]+)'"),
                        "at '" + spec + ".metricDefinitions.1.member.regex'", "Not a valid regular expression"),
                minimal("two metric definitions with one name",
                        set(DEF + "/AlgorithmSpecification/MetricDefinitions/1", "{'Name': 'validation:loss', 'Regex': 'x(1)'}"),
                        "at '" + spec + ".metricDefinitions.2.member.name'", "Metric names must be unique"),
                minimal("neither TrainingJobDefinition nor TrainingJobDefinitions", remove(DEF),
                        "Value null at 'trainingJobDefinition'"),
                rule("a singular TuningObjective that contradicts the job's objective",
                        set(DEF + "/TuningObjective/Type", "'Minimize'"),
                        "at 'trainingJobDefinition.tuningObjective'", "Must equal"),
                rule("singular HyperParameterRanges that contradict the job's ranges",
                        remove(DEF + "/HyperParameterRanges/AutoParameters"),
                        "at 'trainingJobDefinition.hyperParameterRanges'", "Must equal"),
                minimal("a FileSystemDataSource channel",
                        set(DEF + "/InputDataConfig", "[{'ChannelName': 'train', 'DataSource': {'FileSystemDataSource': "
                                + "{'FileSystemId': 'fs-12345678', 'FileSystemAccessMode': 'ro', 'FileSystemType': 'EFS', "
                                + "'DirectoryPath': '/data'}}}]"),
                        "at 'trainingJobDefinition.inputDataConfig.1.member.dataSource.fileSystemDataSource'",
                        "FileSystemDataSource (EFS/FSx) is not supported by Vernier"),
                rule("a DatasetSource channel",
                        set(CHANNEL + "/DataSource", "{'DatasetSource': {'DatasetArn': "
                                + "'arn:aws:sagemaker:us-east-1:123456789012:hub-content/hub/DataSet/data'}}"),
                        "at 'trainingJobDefinition.inputDataConfig.1.member.dataSource.datasetSource'", "not supported by Vernier"),
                rule("a channel with two data sources",
                        set(CHANNEL + "/DataSource/DatasetSource", "{'DatasetArn': "
                                + "'arn:aws:sagemaker:us-east-1:123456789012:hub-content/hub/DataSet/data'}"),
                        "at 'trainingJobDefinition.inputDataConfig.1.member.dataSource'", "Exactly one of"),
                rule("two channels with one name", set("/TrainingJobDefinition/InputDataConfig/1/ChannelName", "'train'"),
                        "Value 'train' at 'trainingJobDefinition.inputDataConfig.2.member.channelName'", "must be unique"),
                rule("a HubAccessConfig", set(CHANNEL + "/DataSource/S3DataSource/HubAccessConfig", "{'HubContentArn': 'x'}"),
                        "s3DataSource.hubAccessConfig'", "not supported by Vernier"),
                rule("InstanceGroupNames on a channel", set(CHANNEL + "/DataSource/S3DataSource/InstanceGroupNames", "['g1']"),
                        "s3DataSource.instanceGroupNames'", "not supported by Vernier"),
                rule("managed spot training", set(DEF + "/EnableManagedSpotTraining", "true"),
                        "Value 'true' at 'trainingJobDefinition.enableManagedSpotTraining'", "Managed spot training is not supported by Vernier"),
                rule("a VpcConfig", set(DEF + "/VpcConfig", "{'SecurityGroupIds': ['sg-1'], 'Subnets': ['subnet-1']}"),
                        "at 'trainingJobDefinition.vpcConfig'", "VpcConfig is not supported by Vernier"),
                rule("a KMS key for outputs", set(DEF + "/OutputDataConfig/KmsKeyId", "'alias/key'"),
                        "Value 'alias/key' at 'trainingJobDefinition.outputDataConfig.kmsKeyId'", "not supported by Vernier"),
                rule("uncompressed model artifacts", set(DEF + "/OutputDataConfig/CompressionType", "'NONE'"),
                        "Value 'NONE' at 'trainingJobDefinition.outputDataConfig.compressionType'", "not supported yet"),
                rule("a KMS key for volumes", set(DEF + "/ResourceConfig/VolumeKmsKeyId", "'alias/key'"),
                        "at 'trainingJobDefinition.resourceConfig.volumeKmsKeyId'", "not supported by Vernier"),
                rule("instance groups", set(DEF + "/ResourceConfig/InstanceGroups",
                                "[{'InstanceType': 'ml.m5.large', 'InstanceCount': 1, 'InstanceGroupName': 'g1'}]"),
                        "at 'trainingJobDefinition.resourceConfig.instanceGroups'", "not supported by Vernier"),
                rule("a training plan", set(DEF + "/ResourceConfig/TrainingPlanArn",
                                "'arn:aws:sagemaker:us-east-1:123456789012:training-plan/my-training-plan'"),
                        "at 'trainingJobDefinition.resourceConfig.trainingPlanArn'", "not supported by Vernier"),
                rule("an instance placement config", set(DEF + "/ResourceConfig/InstancePlacementConfig", "{'EnableMultipleJobs': true}"),
                        "at 'trainingJobDefinition.resourceConfig.instancePlacementConfig'", "not supported by Vernier"),
                rule("zero instances", set(DEF + "/ResourceConfig/InstanceCount", "0"),
                        "Value '0' at 'trainingJobDefinition.resourceConfig.instanceCount'", "greater than or equal to 1"),
                rule("both ResourceConfig and HyperParameterTuningResourceConfig",
                        set(DEF + "/HyperParameterTuningResourceConfig", "{'InstanceType': 'ml.m5.large', 'InstanceCount': 1}"),
                        "at 'trainingJobDefinition.hyperParameterTuningResourceConfig'", "not both"),
                plural("InstanceConfigs together with InstanceType",
                        set("/TrainingJobDefinitions/1/HyperParameterTuningResourceConfig/InstanceType", "'ml.m5.large'"),
                        "at 'trainingJobDefinitions.2.member.hyperParameterTuningResourceConfig.instanceType'",
                        "together with InstanceConfigs"),
                rule("MaxWaitTimeInSeconds below MaxRuntimeInSeconds", set(DEF + "/StoppingCondition/MaxWaitTimeInSeconds", "60"),
                        "Value '60' at 'trainingJobDefinition.stoppingCondition.maxWaitTimeInSeconds'", "MaxRuntimeInSeconds"));
    }

    static Stream<Case> jobCases() {
        String hb = "hyperParameterTuningJobConfig.strategyConfig.hyperbandStrategyConfig";
        String defs = "/TrainingJobDefinitions";
        return Stream.of(
                plural("both TrainingJobDefinition and TrainingJobDefinitions",
                        set(DEF, load("create-minimal.json").get("TrainingJobDefinition").toString()),
                        "at 'trainingJobDefinitions'", "not both"),
                plural("two definitions with one name", set(defs + "/1/DefinitionName", "'gbm'"),
                        "Value 'gbm' at 'trainingJobDefinitions.2.member.definitionName'", "must be unique"),
                plural("a definition without a name", remove(defs + "/2/DefinitionName"),
                        "Value null at 'trainingJobDefinitions.3.member.definitionName'"),
                plural("a definition without any objective", remove(defs + "/0/TuningObjective"),
                        "Value null at 'trainingJobDefinitions.1.member.tuningObjective'"),
                plural("a definition whose objective metric it does not define",
                        set(defs + "/1/TuningObjective/MetricName", "'validation:rmse'"),
                        "Value 'validation:rmse' at 'trainingJobDefinitions.2.member.tuningObjective.metricName'",
                        "must be defined in 'trainingJobDefinitions.2.member.algorithmSpecification.metricDefinitions'"),
                plural("definitions that optimise in opposite directions", set(defs + "/1/TuningObjective/Type", "'Maximize'"),
                        "at 'trainingJobDefinitions'", "same Type"),
                plural("warm start with several definitions", set("/WarmStartConfig",
                                "{'ParentHyperParameterTuningJobs': [{'HyperParameterTuningJobName': 'p'}], 'WarmStartType': 'TransferLearning'}"),
                        "at 'warmStartConfig'", "only available with a single TrainingJobDefinition"),
                plural("early stopping with several definitions", set(CONFIG + "/TrainingJobEarlyStoppingType", "'Auto'"),
                        "Value 'Auto' at 'hyperParameterTuningJobConfig.trainingJobEarlyStoppingType'",
                        "only available with a single TrainingJobDefinition"),
                plural("more than 48 environment entries across definitions", all(
                                set(defs + "/0/Environment", env(25, "A")), set(defs + "/1/Environment", env(24, "B"))),
                        "at 'trainingJobDefinitions'", "at most 48 Environment entries; found 49"),
                minimal("Grid with a continuous range", set(CONFIG + "/Strategy", "'Grid'"),
                        "at '" + P_RANGES + ".continuousParameterRanges'", "The Grid strategy supports only CategoricalParameterRanges"),
                minimal("Grid with a budget other than the number of combinations", all(set(CONFIG + "/Strategy", "'Grid'"),
                                remove(RANGES + "/ContinuousParameterRanges"),
                                set(RANGES + "/CategoricalParameterRanges", "[{'Name': 'a', 'Values': ['1', '2']}, "
                                        + "{'Name': 'b', 'Values': ['x', 'y', 'z']}]")),
                        "Value '4' at 'hyperParameterTuningJobConfig.resourceLimits.maxNumberOfTrainingJobs'",
                        "number of distinct combinations of the categorical values (6)"),
                minimal("Random without MaxNumberOfTrainingJobs", remove(CONFIG + "/ResourceLimits/MaxNumberOfTrainingJobs"),
                        "Value null at 'hyperParameterTuningJobConfig.resourceLimits.maxNumberOfTrainingJobs'",
                        "Member must not be null when Strategy is Random"),
                rule("Hyperband with early stopping Auto", set(CONFIG + "/TrainingJobEarlyStoppingType", "'Auto'"),
                        "Value 'Auto' at 'hyperParameterTuningJobConfig.trainingJobEarlyStoppingType'", "Must be Off"),
                rule("Hyperband without MaxResource and no epochs to infer it from", all(
                                remove(CONFIG + "/StrategyConfig/HyperbandStrategyConfig/MaxResource"),
                                remove(DEF + "/StaticHyperParameters/epochs")),
                        "Value null at '" + hb + ".maxResource'", "none of [epochs, numepochs, n-epochs, n_epochs, num_epochs]"),
                rule("Hyperband inferring MaxResource from a non-integer", all(
                                remove(CONFIG + "/StrategyConfig/HyperbandStrategyConfig/MaxResource"),
                                set(DEF + "/StaticHyperParameters/epochs", "'many'")),
                        "Value 'many' at 'trainingJobDefinition.staticHyperParameters'", "must be a positive integer"),
                rule("Hyperband with MaxResource above 20,000",
                        set(CONFIG + "/StrategyConfig/HyperbandStrategyConfig/MaxResource", "20001"),
                        "Value '20001' at '" + hb + ".maxResource'", "less than or equal to 20000"),
                rule("Hyperband with MinResource above MaxResource",
                        set(CONFIG + "/StrategyConfig/HyperbandStrategyConfig/MinResource", "28"),
                        "Value '28' at '" + hb + ".minResource'", "less than or equal to MaxResource '27'"),
                rule("Hyperband with MinResource above the inferred MaxResource", all(
                                remove(CONFIG + "/StrategyConfig/HyperbandStrategyConfig/MaxResource"),
                                set(CONFIG + "/StrategyConfig/HyperbandStrategyConfig/MinResource", "28")),
                        "Value '28' at '" + hb + ".minResource'", "inferred as 27 from 'epochs'"),
                minimal("HyperbandStrategyConfig without the Hyperband strategy",
                        set(CONFIG + "/StrategyConfig", "{'HyperbandStrategyConfig': {'MaxResource': 10}}"),
                        "at '" + hb + "'", "only be given when Strategy is Hyperband"),
                rule("a warm-start parent named twice (names ignore case)",
                        set("/WarmStartConfig/ParentHyperParameterTuningJobs/1", "{'HyperParameterTuningJobName': 'Parent-Job'}"),
                        "Value 'Parent-Job' at 'warmStartConfig.parentHyperParameterTuningJobs.2.member.hyperParameterTuningJobName'",
                        "must be unique"),
                rule("the job as its own warm-start parent",
                        set("/WarmStartConfig/ParentHyperParameterTuningJobs/0/HyperParameterTuningJobName", "'maximal-job'"),
                        "at 'warmStartConfig.parentHyperParameterTuningJobs.1.member.hyperParameterTuningJobName'", "its own"),
                rule("a warm-start parent without a name", set("/WarmStartConfig/ParentHyperParameterTuningJobs/0", "{}"),
                        "Value null at 'warmStartConfig.parentHyperParameterTuningJobs.1.member.hyperParameterTuningJobName'"),
                rule("a warm-start parent the server does not know",
                        set("/WarmStartConfig/ParentHyperParameterTuningJobs/0/HyperParameterTuningJobName", "'ghost'"),
                        "Value 'ghost' at 'warmStartConfig.parentHyperParameterTuningJobs.1.member.hyperParameterTuningJobName'",
                        "does not exist"),
                rule("Autotune", set("/Autotune", "{'Mode': 'Enabled'}"), "at 'autotune'", "Autotune is not supported by Vernier"),
                rule("a reserved tag key", set("/Tags/1/Key", "'aws:owner'"),
                        "Value 'aws:owner' at 'tags.2.member.key'", "reserved"),
                rule("two tags with one key", set("/Tags/1/Key", "'project'"),
                        "Value 'project' at 'tags.2.member.key'", "must be unique"),
                minimal("several rule violations, all listed at once", all(
                                set(RANGES + "/ContinuousParameterRanges/0/MinValue", "'0.5'"),
                                set(CONFIG + "/HyperParameterTuningJobObjective/MetricName", "'accuracy'"),
                                set("/Autotune", "{'Mode': 'Enabled'}")),
                        "3 validation errors detected: ", "continuousParameterRanges.1.member.minValue'",
                        "hyperParameterTuningJobObjective.metricName'", "at 'autotune'"));
    }

    static String env(int n, String prefix) {
        return IntStream.range(0, n).mapToObj(i -> "'" + prefix + i + "': 'x'").collect(Collectors.joining(",", "{", "}"));
    }

    static Stream<Case> cases() {
        return Stream.of(rangeCases(), definitionCases(), jobCases()).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedAsValidationErrorNamingTheField(Case c) {
        ObjectNode canonical = ApiModel.sagemaker().validateInput("CreateHyperParameterTuningJob",
                c.edit().apply(load(c.base())));
        ApiException e = catchThrowableOfType(ApiException.class, () -> TuningJobRequestRules.check(canonical, CHECKS));
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        for (String fragment : c.fragments()) assertThat(e.getMessage()).contains(fragment);
    }

    @ParameterizedTest
    @ValueSource(strings = {"create-minimal.json", "create-maximal.json", "create-plural-definitions.json",
            "create-hyperband.json"})
    void shippedRequestsPassEveryRule(String file) {
        ObjectNode canonical = ApiModel.sagemaker().validateInput("CreateHyperParameterTuningJob", load(file));
        assertThatCode(() -> TuningJobRequestRules.check(canonical, CHECKS)).doesNotThrowAnyException();
        assertThatCode(() -> TuningJobRequestRules.check(canonical, TuningJobRequestRules.Checks.NONE))
                .doesNotThrowAnyException();
    }

    @Test
    void gridNeedsNoBudgetAndAcceptsOneEqualToTheNumberOfCombinations() {
        UnaryOperator<ObjectNode> grid = all(set(CONFIG + "/Strategy", "'Grid'"), remove(RANGES + "/ContinuousParameterRanges"),
                set(RANGES + "/CategoricalParameterRanges", "[{'Name': 'a', 'Values': ['1', '2']}, {'Name': 'b', 'Values': ['x', 'y']}]"));
        for (UnaryOperator<ObjectNode> budget : List.of(remove(CONFIG + "/ResourceLimits/MaxNumberOfTrainingJobs"),
                set(CONFIG + "/ResourceLimits/MaxNumberOfTrainingJobs", "4"))) {
            ObjectNode canonical = ApiModel.sagemaker().validateInput("CreateHyperParameterTuningJob",
                    budget.apply(grid.apply(load("create-minimal.json"))));
            assertThatCode(() -> TuningJobRequestRules.check(canonical, CHECKS)).doesNotThrowAnyException();
        }
    }

    /** 14 ranges of 30 values: 30^14 combinations, more than a long holds; once a 5xx when Create planned the job. */
    @Test
    void aGridTooLargeToCountIsRejectedWithOrWithoutABudget() {
        String ranges = IntStream.range(0, 14).mapToObj(i -> "{'Name': 'c" + i + "', 'Values': "
                        + IntStream.range(0, 30).mapToObj(j -> "'v" + j + "'").collect(Collectors.joining(",", "[", "]")) + "}")
                .collect(Collectors.joining(",", "[", "]"));
        UnaryOperator<ObjectNode> grid = all(set(CONFIG + "/Strategy", "'Grid'"), remove(RANGES + "/ContinuousParameterRanges"),
                set(RANGES + "/CategoricalParameterRanges", ranges));
        for (UnaryOperator<ObjectNode> budget : List.of(remove(CONFIG + "/ResourceLimits/MaxNumberOfTrainingJobs"),
                set(CONFIG + "/ResourceLimits/MaxNumberOfTrainingJobs", "4"))) {
            ObjectNode canonical = ApiModel.sagemaker().validateInput("CreateHyperParameterTuningJob",
                    budget.apply(grid.apply(load("create-minimal.json"))));
            ApiException e = catchThrowableOfType(ApiException.class, () -> TuningJobRequestRules.check(canonical, CHECKS));
            assertThat(e).as("rejected").isNotNull();
            assertThat(e.getMessage()).contains("Value 'Grid' at 'hyperParameterTuningJobConfig.strategy'",
                    "more than " + Long.MAX_VALUE);
        }
    }

    @Test
    void moreParallelJobsThanJobsIsAccepted() {
        ObjectNode canonical = ApiModel.sagemaker().validateInput("CreateHyperParameterTuningJob",
                set(CONFIG + "/ResourceLimits/MaxParallelTrainingJobs", "10").apply(load("create-minimal.json")));
        assertThatCode(() -> TuningJobRequestRules.check(canonical, CHECKS)).doesNotThrowAnyException();
    }
}
