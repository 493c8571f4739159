package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.completion.CompletionCriteria;
import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.Subspace;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.strategy.grid.GridStrategy;
import dev.vernier.core.strategy.hyperband.HyperbandSchedule;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.protocol.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a stored, validated CreateHyperParameterTuningJob request into a {@link TuningPlan}: the
 * one place where the API's shapes become the domain's search space and launch settings.
 */
public final class TuningPlans {
    private TuningPlans() {}

    public static TuningPlan from(String tuningJobName, ObjectNode spec) {
        JsonNode config = spec.path("HyperParameterTuningJobConfig");
        JsonNode jobObjective = config.path("HyperParameterTuningJobObjective");
        JsonNode limits = config.path("ResourceLimits");
        List<Subspace> subspaces = new ArrayList<>();
        Map<String, TuningPlan.DefinitionPlan> definitions = new LinkedHashMap<>();
        if (spec.has("TrainingJobDefinition")) {
            JsonNode d = spec.get("TrainingJobDefinition");
            subspaces.add(new Subspace(null, parameters(config.path("ParameterRanges"))));
            definitions.put(TuningPlan.SINGLE, definition(null, d, jobObjective));
        } else {
            for (JsonNode d : spec.path("TrainingJobDefinitions")) {
                String name = d.path("DefinitionName").asText();
                JsonNode ranges = d.has("HyperParameterRanges") ? d.get("HyperParameterRanges") : config.path("ParameterRanges");
                JsonNode objective = d.has("TuningObjective") ? d.get("TuningObjective") : jobObjective;
                subspaces.add(new Subspace(name, parameters(ranges)));
                definitions.put(name, definition(name, d, objective));
            }
        }
        Goal goal = goal(jobObjective.isMissingNode() ? definitions.values().iterator().next().goal().name()
                : jobObjective.path("Type").asText());
        int maxJobs = limits.path("MaxNumberOfTrainingJobs").asInt(0);
        String strategy = config.path("Strategy").asText("Bayesian");
        SearchSpace space = new SearchSpace(subspaces);
        if (maxJobs == 0 && strategy.equals("Grid")) maxJobs = (int) Math.min(Integer.MAX_VALUE, GridStrategy.size(space));
        long seed = config.has("RandomSeed") ? config.get("RandomSeed").asLong() : TuningPlan.defaultSeed(tuningJobName);
        return new TuningPlan(tuningJobName, strategy, goal, maxJobs, limits.path("MaxParallelTrainingJobs").asInt(1),
                seed, space, definitions, completion(config.path("TuningJobCompletionCriteria")),
                limits.path("MaxRuntimeInSeconds").asLong(0),
                config.path("TrainingJobEarlyStoppingType").asText("Off").equals("Auto"), warmStart(spec.get("WarmStartConfig")),
                strategy.equals("Hyperband") ? hyperband(config, definitions) : null);
    }

    /**
     * MinResource (1 when absent) and MaxResource, given or inferred from the first epochs-like static
     * hyperparameter (the largest over definitions); Create has validated that one of them is there.
     */
    private static HyperbandSchedule hyperband(JsonNode config, Map<String, TuningPlan.DefinitionPlan> definitions) {
        JsonNode h = config.path("StrategyConfig").path("HyperbandStrategyConfig");
        int max = h.path("MaxResource").asInt(0);
        if (max == 0) {
            for (TuningPlan.DefinitionPlan d : definitions.values())
                for (String key : TuningJobRequestRules.EPOCH_KEYS)
                    if (d.staticHyperParameters().containsKey(key)) {
                        max = Math.max(max, new BigDecimal(d.staticHyperParameters().get(key)).intValue());
                        break;
                    }
        }
        int min = h.path("MinResource").asInt(1);
        return HyperbandSchedule.of(Math.min(min, Math.max(1, max)), Math.max(1, max));
    }

    private static CompletionCriteria completion(JsonNode c) {
        if (c.isMissingNode() || c.isNull()) return CompletionCriteria.NONE;
        JsonNode target = c.get("TargetObjectiveMetricValue");
        return new CompletionCriteria(target == null || target.isNull() ? null : target.asDouble(),
                c.path("BestObjectiveNotImproving").path("MaxNumberOfTrainingJobsNotImproving").asInt(0),
                c.path("ConvergenceDetected").path("CompleteOnConvergence").asText("Disabled").equals("Enabled"));
    }

    private static TuningPlan.WarmStart warmStart(JsonNode w) {
        if (w == null || w.isNull()) return null;
        List<String> parents = new ArrayList<>();
        for (JsonNode p : w.path("ParentHyperParameterTuningJobs")) parents.add(p.path("HyperParameterTuningJobName").asText());
        return new TuningPlan.WarmStart(parents, w.path("WarmStartType").asText().equals("IdenticalDataAndAlgorithm"));
    }

    static TuningPlan.DefinitionPlan definition(String name, JsonNode d, JsonNode objective) {
        JsonNode algorithm = d.path("AlgorithmSpecification");
        List<MetricDefinition> metrics = new ArrayList<>();
        for (JsonNode m : algorithm.path("MetricDefinitions"))
            metrics.add(new MetricDefinition(m.path("Name").asText(), m.path("Regex").asText()));
        List<InputChannel> channels = new ArrayList<>();
        for (JsonNode c : d.path("InputDataConfig")) {
            JsonNode s3 = c.path("DataSource").path("S3DataSource");
            channels.add(new InputChannel(c.path("ChannelName").asText(), s3.path("S3Uri").asText(),
                    text(s3, "S3DataType"), text(s3, "S3DataDistributionType"), text(c, "ContentType"),
                    text(c, "CompressionType"), text(c, "RecordWrapperType"), text(c, "InputMode"),
                    list(s3.path("AttributeNames")), c.path("ShuffleConfig").has("Seed")
                            ? c.path("ShuffleConfig").get("Seed").asLong() : null));
        }
        JsonNode resources = d.has("ResourceConfig") ? d.get("ResourceConfig") : d.path("HyperParameterTuningResourceConfig");
        if (!resources.has("InstanceType") && resources.path("InstanceConfigs").size() > 0)
            resources = resources.path("InstanceConfigs").get(0);
        int maxRetries = d.path("RetryStrategy").has("MaximumRetryAttempts")
                ? d.path("RetryStrategy").get("MaximumRetryAttempts").asInt() : TuningPlan.DEFAULT_INTERNAL_RETRIES;
        return new TuningPlan.DefinitionPlan(name, objective.path("MetricName").asText(),
                goal(objective.path("Type").asText()), strings(d.path("StaticHyperParameters")),
                algorithm.path("TrainingImage").asText(), algorithm.path("TrainingInputMode").asText("File"), metrics,
                channels, d.path("OutputDataConfig").path("S3OutputPath").asText(),
                new TrainingJobSpec.Resources(resources.path("InstanceType").asText("ml.m5.large"),
                        resources.path("InstanceCount").asInt(1), resources.path("VolumeSizeInGB").asInt(1)),
                d.path("StoppingCondition").path("MaxRuntimeInSeconds").asLong(86_400),
                d.path("EnableNetworkIsolation").asBoolean(false), strings(d.path("Environment")), maxRetries,
                document(d, objective), text(d.path("CheckpointConfig"), "S3Uri"), text(d.path("CheckpointConfig"), "LocalPath"));
    }

    /**
     * The definition as each of its training jobs stores it: with the objective it is tuned for
     * (a TrainingJobDefinitions entry may have its own, a single definition takes the tuning job's),
     * which ListTrainingJobsForHyperParameterTuningJob reports.
     */
    private static String document(JsonNode d, JsonNode objective) {
        if (d.has("TuningObjective")) return Json.write(d);
        ObjectNode stored = ((ObjectNode) d).deepCopy();
        stored.putObject("TuningObjective").put("Type", goal(objective.path("Type").asText()) == Goal.MAXIMIZE
                ? "Maximize" : "Minimize").put("MetricName", objective.path("MetricName").asText());
        return Json.write(stored);
    }

    /** The ranges of one definition as the domain's parameters. */
    static List<Parameter> parameters(JsonNode ranges) {
        List<Parameter> out = new ArrayList<>();
        for (JsonNode r : ranges.path("IntegerParameterRanges"))
            out.add(new IntegerParameter(r.path("Name").asText(), new BigDecimal(r.path("MinValue").asText()).longValueExact(),
                    new BigDecimal(r.path("MaxValue").asText()).longValueExact(), scaling(r)));
        for (JsonNode r : ranges.path("ContinuousParameterRanges"))
            out.add(new ContinuousParameter(r.path("Name").asText(), Double.parseDouble(r.path("MinValue").asText()),
                    Double.parseDouble(r.path("MaxValue").asText()), scaling(r)));
        for (JsonNode r : ranges.path("CategoricalParameterRanges")) {
            List<String> values = new ArrayList<>();
            r.path("Values").forEach(v -> values.add(v.asText()));
            out.add(new CategoricalParameter(r.path("Name").asText(), values));
        }
        return out;
    }

    private static Scaling scaling(JsonNode range) {
        return switch (range.path("ScalingType").asText("Auto")) {
            case "Linear" -> Scaling.LINEAR;
            case "Logarithmic" -> Scaling.LOGARITHMIC;
            case "ReverseLogarithmic" -> Scaling.REVERSE_LOGARITHMIC;
            default -> Scaling.AUTO;
        };
    }

    private static Goal goal(String type) {
        return type.equalsIgnoreCase("Maximize") ? Goal.MAXIMIZE : Goal.MINIMIZE;
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) out.add(e.asText());
        return out;
    }

    private static String text(JsonNode node, String member) {
        JsonNode v = node.get(member);
        return v == null || v.isNull() ? null : v.asText();
    }
}
