package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.model.ApiModel;
import dev.vernier.protocol.model.Violations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The semantic rules of CreateHyperParameterTuningJob that the model's constraints cannot express,
 * as SageMaker documents them, plus Vernier's refusals of features it does not offer. Runs on the
 * canonical request from {@link ApiModel#validateInput} and reports every violation at once, each
 * with its field path. The decisions are tabled in {@code docs/api-support.md}.
 */
public final class TuningJobRequestRules {
    /** Rules that need the outside world, plugged in by the server. Each answers an error message or empty. */
    public interface Checks {
        /** Whether this server can run {@code trainingImage}. */
        default Optional<String> checkImage(String trainingImage) {
            return Optional.empty();
        }

        /** Whether {@code tuningJobName} can be a warm-start parent (exists, finished, same objective). */
        default Optional<String> checkWarmStartParent(String tuningJobName, ObjectNode childRequest) {
            return Optional.empty();
        }

        Checks NONE = new Checks() {};
    }

    static final String CONFIG = "hyperParameterTuningJobConfig";
    /** HyperbandStrategyConfig.MaxResource documentation: "The maximum value is 20,000 epochs." */
    static final int MAX_HYPERBAND_RESOURCE = 20_000;
    /** Keys from which Hyperband infers MaxResource, in the order the model documentation lists them. */
    static final List<String> EPOCH_KEYS = List.of("epochs", "numepochs", "n-epochs", "n_epochs", "num_epochs");
    /** HyperParameterTrainingJobDefinition.Environment: the map maximum holds for the whole job. */
    static final int MAX_ENVIRONMENT_ENTRIES = 48;

    private TuningJobRequestRules() {}

    /** @throws ApiException {@code ValidationException} listing every violated rule */
    public static void check(ObjectNode request, Checks checks) {
        Violations v = new Violations();
        JsonNode config = request.path("HyperParameterTuningJobConfig");
        List<Definition> definitions = Definition.of(request, v);
        for (Definition d : definitions) {
            ParameterRangeRules.check(d, v);
            DefinitionRules.check(d, checks, v);
        }
        if (request.has("TrainingJobDefinitions")) multiDefinitionRules(request, config, definitions, v);
        StrategyRules.check(config, definitions, v);
        warmStartRules(request, checks, v);
        if (request.has("Autotune")) v.unsupported("autotune", request.get("Autotune"), "Autotune");
        tagRules(request.path("Tags"), v);
        v.throwIfAny();
    }

    /** "Warm start and early stopping are available only when tuning a single algorithm" (SageMaker guide). */
    private static void multiDefinitionRules(ObjectNode request, JsonNode config, List<Definition> definitions,
                                             Violations v) {
        if (request.has("WarmStartConfig")) {
            v.add("warmStartConfig", request.get("WarmStartConfig"),
                    "WarmStartConfig is only available with a single TrainingJobDefinition");
        }
        if (config.path("TrainingJobEarlyStoppingType").asText("Off").equals("Auto")) {
            v.add(CONFIG + ".trainingJobEarlyStoppingType", config.get("TrainingJobEarlyStoppingType"),
                    "Early stopping is only available with a single TrainingJobDefinition");
        }
        Set<String> types = new HashSet<>();
        for (Definition d : definitions) if (d.objective() != null) types.add(d.objective().path("Type").asText());
        if (types.size() > 1) {
            v.add("trainingJobDefinitions", request.get("TrainingJobDefinitions"), "Every definition's TuningObjective must have the same Type, "
                    + "since the best training job is chosen across definitions; found " + new java.util.TreeSet<>(types));
        }
        int environment = 0;
        for (Definition d : definitions) environment += d.node().path("Environment").size();
        if (environment > MAX_ENVIRONMENT_ENTRIES) {
            v.add("trainingJobDefinitions", request.get("TrainingJobDefinitions"), "The definitions together must have at most "
                    + MAX_ENVIRONMENT_ENTRIES + " Environment entries; found " + environment);
        }
    }

    private static void warmStartRules(ObjectNode request, Checks checks, Violations v) {
        JsonNode parents = request.path("WarmStartConfig").path("ParentHyperParameterTuningJobs");
        String own = request.path("HyperParameterTuningJobName").asText().toLowerCase(Locale.ROOT);
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < parents.size(); i++) {
            String path = "warmStartConfig.parentHyperParameterTuningJobs." + (i + 1) + ".member.hyperParameterTuningJobName";
            JsonNode name = parents.get(i).get("HyperParameterTuningJobName");
            if (name == null) {
                v.add(path, null, "Member must not be null");
                continue;
            }
            String key = name.asText().toLowerCase(Locale.ROOT); // tuning-job names are not case sensitive
            if (key.equals(own)) {
                v.add(path, name, "A tuning job cannot be its own warm-start parent");
            } else if (seen.containsKey(key)) {
                v.add(path, name, "Parent tuning jobs must be unique; also at '" + seen.get(key) + "'");
            } else {
                seen.put(key, path);
                checks.checkWarmStartParent(name.asText(), request).ifPresent(msg -> v.add(path, name, msg));
            }
        }
    }

    private static void tagRules(JsonNode tags, Violations v) {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            String path = "tags." + (i + 1) + ".member.key";
            JsonNode key = tags.get(i).path("Key");
            if (key.asText().toLowerCase(Locale.ROOT).startsWith("aws:")) {
                v.add(path, key, "Tag keys beginning with 'aws:' are reserved for AWS use");
            }
            String earlier = seen.putIfAbsent(key.asText(), path);
            if (earlier != null) v.add(path, key, "Tag keys must be unique; also at '" + earlier + "'");
        }
    }

    /**
     * One training-job definition with what applies to it: its own TuningObjective and
     * HyperParameterRanges, or else the job-level ones, and the paths where those were given.
     */
    record Definition(String path, JsonNode node, JsonNode objective, String objectivePath,
                      JsonNode ranges, String rangesPath) {
        static List<Definition> of(ObjectNode request, Violations v) {
            JsonNode config = request.path("HyperParameterTuningJobConfig");
            JsonNode single = request.get("TrainingJobDefinition");
            JsonNode plural = request.get("TrainingJobDefinitions");
            List<Definition> out = new ArrayList<>();
            if (single != null && plural != null) {
                v.add("trainingJobDefinitions", plural,
                        "Give either TrainingJobDefinition or TrainingJobDefinitions, not both");
            }
            if (single != null) {
                String path = "trainingJobDefinition";
                if (single.has("TuningObjective") && config.has("HyperParameterTuningJobObjective")
                        && !single.get("TuningObjective").equals(config.get("HyperParameterTuningJobObjective"))) {
                    v.add(path + ".tuningObjective", single.get("TuningObjective"), "Must equal "
                            + "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective when both are given");
                }
                if (single.has("HyperParameterRanges") && config.has("ParameterRanges")
                        && !single.get("HyperParameterRanges").equals(config.get("ParameterRanges"))) {
                    v.add(path + ".hyperParameterRanges", single.get("HyperParameterRanges"),
                            "Must equal HyperParameterTuningJobConfig.ParameterRanges when both are given");
                }
                out.add(resolve(path, single, config, v));
            } else if (plural != null) {
                Map<String, String> names = new HashMap<>();
                for (int i = 0; i < plural.size(); i++) {
                    String path = "trainingJobDefinitions." + (i + 1) + ".member";
                    JsonNode d = plural.get(i);
                    JsonNode name = d.get("DefinitionName");
                    if (name == null) {
                        v.add(path + ".definitionName", null, "Member must not be null when TrainingJobDefinitions is given");
                    } else {
                        String earlier = names.putIfAbsent(name.asText(), path + ".definitionName");
                        if (earlier != null) {
                            v.add(path + ".definitionName", name, "DefinitionName must be unique; also at '" + earlier + "'");
                        }
                    }
                    out.add(resolve(path, d, config, v));
                }
            } else {
                v.add("trainingJobDefinition", null, "Member must not be null when TrainingJobDefinitions is not given");
            }
            return out;
        }

        private static Definition resolve(String path, JsonNode d, JsonNode config, Violations v) {
            boolean ownObjective = d.has("TuningObjective");
            JsonNode objective = ownObjective ? d.get("TuningObjective") : config.get("HyperParameterTuningJobObjective");
            String objectivePath = ownObjective ? path + ".tuningObjective" : CONFIG + ".hyperParameterTuningJobObjective";
            if (objective == null) {
                v.add(path + ".tuningObjective", null, "Member must not be null when "
                        + "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective is not given");
            }
            boolean ownRanges = d.has("HyperParameterRanges");
            JsonNode ranges = ownRanges ? d.get("HyperParameterRanges") : config.get("ParameterRanges");
            String rangesPath = ownRanges || !config.has("ParameterRanges")
                    ? path + ".hyperParameterRanges" : CONFIG + ".parameterRanges";
            if (!ownRanges && !config.has("ParameterRanges") && path.equals("trainingJobDefinition")) {
                rangesPath = CONFIG + ".parameterRanges";
            }
            return new Definition(path, d, objective, objectivePath, ranges, rangesPath);
        }
    }
}
